Feature: A shop clerk checks a shipment and catches copied labels
  A receiving clerk scans every item of a delivery into a spreadsheet and uploads it to
  Khatem. A label copied onto another item carries the same serial as the original, and
  the copy is as "authentic" as the original when scanned alone: only a check of the whole
  shipment shows that one serial arrived twice.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets

  Scenario: A label copied onto a second carpet is caught in the shipment
    Given the cooperative shipped 3 labelled carpets
    And someone copied the first carpet's label onto a fourth carpet
    When the clerk uploads the delivery spreadsheet, with its date and pallet columns
    Then rows 2 and 5 of the spreadsheet are flagged as carrying the same serial
    And the summary warns that 1 serial is repeated on 2 rows
    And the clerk can show only the rows to look at: rows 2 and 5

  Scenario: The downloaded results are the clerk's spreadsheet with the verdicts added
    Given the cooperative shipped 3 labelled carpets
    And someone copied the first carpet's label onto a fourth carpet
    When the clerk downloads the results of the delivery spreadsheet as CSV
    Then the results keep the clerk's columns in their order, with the verdict columns after
    And each result names its row in the clerk's spreadsheet, the first scan being row 2
    And rows 2 and 5 name each other as carrying the same serial

  Scenario: A till system checking the shipment through the API sees the repeated serial
    Given the cooperative shipped 3 labelled carpets
    And someone copied the first carpet's label onto a fourth carpet
    When the till system sends the four scans to the bulk API
    Then each verdict still says "AUTHENTIC"
    And the answer lists the repeated serial at positions 0 and 3
