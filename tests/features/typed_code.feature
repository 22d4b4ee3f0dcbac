Feature: A buyer types the code printed under the QR code
  Not every buyer can scan: a phone without a camera app, a photo from a seller, a label
  read aloud over the phone. The label prints its serial, its GTIN, its certificate code and
  a short address. Whatever of these a buyer types, Khatem says what it knows, and says
  plainly that only the QR code proves the label authentic; a genuine printed code is
  never called forged.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And a carpet of the cooperative carries a Khatem label

  Scenario: A buyer types the certificate code in lower case without its dash
    When a buyer types the certificate code in lower case and without its dash on the home page
    Then the buyer lands on the cooperative's certificate page

  Scenario: A buyer types the serial and the GTIN printed on the label
    When a buyer types the label's GTIN and serial on the home page
    Then the page says what the registry knows: the carpet line and the certificate in force
    And the page says that only the QR code proves the label authentic
    And nowhere does the page call the label forged or invalid

  Scenario: A buyer in Spain opens the short address printed on the label
    When a buyer whose phone speaks Spanish opens the short address printed on the label, in lower case
    Then the address leads to the page of that serial
    And the page is in Spanish and says that only the QR code proves the label authentic

  Scenario: A buyer types the label's address without its signature
    When a buyer opens the label's address in a browser without the signature after "?S="
    Then the buyer is sent to the short address page of that serial
    And the page says what the registry knows: the carpet line and the certificate in force
    And nowhere does the page call the label forged or invalid

  Scenario: A retailer's system asks for the same address in JSON
    When a retailer's system asks for the label's address without its signature in JSON
    Then the answer is still the INVALID verdict "signature_missing"

  Scenario: A buyer pastes the whole address of the QR code
    When a buyer pastes the label's whole address on the home page
    Then the buyer is sent to the label's own verification page

  Scenario Outline: A buyer types something that is no code
    When a buyer whose phone speaks <language> types "<text>" on the home page
    Then the page, in <language>, explains what can be typed, without calling anything forged

    Examples:
      | language | text                     |
      | French   | bonjour                  |
      | English  | https://example.com/item |
      | Spanish  | C-0000000                |
      | Arabic   | ZZZZZZZZZZ               |
