Feature: A shop clerk scans with a keyboard-wedge scanner
  A keyboard-wedge scanner types what it reads into the till as if on a keyboard, and then
  presses Enter (some press Tab, or add a space). The till hands that text to the registry
  as it came. The key the scanner pressed after the label is not part of the label: the
  clerk gets the label's verdict, not "malformed".

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the inspector issued 3 labels for the cooperative's carpets

  Scenario Outline: The scanner presses a key after the label
    When the clerk scans a carpet label and the scanner adds <key> after it
    Then the till shows "AUTHENTIC" for the carpet

    Examples:
      | key             |
      | Enter           |
      | Enter on Windows |
      | Tab             |
      | a space         |

  Scenario: The scanner sends a space before the label and Enter after it
    When the scanner puts a space before a carpet label and presses Enter after it
    Then the till shows "AUTHENTIC" for the carpet

  Scenario: The till sends the whole pallet's scans, each with the scanner's Enter
    When the clerk scans the 3 carpets of a pallet and the till sends them in one call, each with the scanner's Enter
    Then the till shows "AUTHENTIC" for each of the 3 carpets, in the order scanned

  Scenario: A label broken by a space inside it is still not a label
    When the clerk scans a carpet label that has a space inside it
    Then the till shows "INVALID" because the label is "uri_malformed"
