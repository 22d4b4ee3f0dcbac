Feature: A customs officer verifies every label in a photo of a sheet
  At the border, an officer opens a carton of tajines and photographs the sheet of labels
  that came with it, or the tags laid out on the table. Every QR code in the photo is a
  label to check, not just the first one: the officer reads one line per label, in the
  order the labels stand on the sheet, and a count of each verdict. A script at the
  customs post reads the same as a list, and the exit code says whether all were genuine.

  Background:
    Given a Safi potter's registry issued 6 tajine labels
    And the customs officer synced the registry's data this morning

  Scenario: Every label on the photographed sheet is genuine
    Given a photo of the sheet of the 6 labels
    When the officer checks the photo without signal
    Then the officer reads 6 lines, one per label in the order of the sheet, each "AUTHENTIC"
    And the officer reads "6 labels in sheet.jpg: 6 AUTHENTIC"
    And the command ends with exit code 0

  Scenario: A revoked label and a forged one hide among genuine labels
    Given the 2nd label was revoked because it was stolen
    And the 5th label on the sheet is a forgery of a genuine one
    And a photo of the sheet of the 6 labels
    When the officer checks the photo without signal
    Then the line of the 2nd label says "REVOKED"
    And the line of the 5th label says "INVALID"
    And the officer reads "6 labels in sheet.jpg: 4 AUTHENTIC, 1 REVOKED, 1 INVALID"
    And the command ends with exit code 13

  Scenario: The customs post's script gets every verdict as a list
    Given the 3rd label was revoked because it was stolen
    And a photo of the sheet of the 6 labels
    When the customs post's script checks the photo without signal and asks for JSON
    Then the script gets a list of 6 verdicts in the order of the sheet
    And the 3rd verdict is "REVOKED" and the others "AUTHENTIC"
    And the command ends with exit code 12
