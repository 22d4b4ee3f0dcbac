Feature: An artisan prints the certificate
  The weaving cooperative Akhiam of Taznakht was certified after its audit. Its president
  signs in to the workspace, finds the certificate with the code printed on its labels,
  prints the certificate in French and Arabic to hang in the shop, and gets the badge for
  the cooperative's online shop and a QR code for its business card: scanned, both open
  the certificate's public page. Another artisan cannot print it.

  Background:
    Given the cooperative Akhiam holds an active carpet certificate
    And its president is signed in to the workspace in "fr"

  Scenario: The president prints the certificate
    When she opens her certificate from her home page
    Then she sees the certificate's code, which starts with "C-"
    When she downloads the printable certificate
    Then it is one A4 page in French and Arabic
    And it names the cooperative in both scripts
    And its QR code opens the certificate's public page

  Scenario: The president takes the badge and the card's QR code
    When she opens her certificate from her home page
    And she downloads the badge as PNG in "ar"
    Then she gets a PNG image of the badge
    When she downloads the QR code for her card
    Then its QR code opens the certificate's public page

  Scenario: The president reads the page in Arabic
    Given its president is signed in to the workspace in "ar"
    When she opens her certificate from her home page
    Then the page is written right to left and offers "الشهادة للطباعة"

  Scenario: Another artisan cannot print it
    Given Fatima, an artisan of the same chambre, is signed in
    When Fatima asks for the cooperative's printable certificate
    Then Fatima is told that the certificate is not found
