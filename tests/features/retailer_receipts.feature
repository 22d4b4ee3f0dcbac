Feature: Retailers record the receipt of labelled items
  A department store or an importer records each labelled carpet, tajine or pair of babouches
  it takes in. The first store to receive a label is the one it belongs to; when a second
  store receives the same serial, one of the two items carries a copied label, and the
  registry keeps that mark on the label so that the verdict can later say so.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the cooperative's labels for 3 carpets

  Scenario: Two department stores receive the same serial
    Given Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    When Galeries Lafayette records the receipt of the 3 carpets in shipment "DESADV-0412"
    And El Corte Inglés records the receipt of the first carpet in shipment "ALB-77"
    Then the first carpet's label belongs to Galeries Lafayette, received in France
    And El Corte Inglés is told that the label was "received_by_two_retailers"
    And the first carpet's label is marked "received_by_two_retailers"
    And the other carpets' labels carry no mark

  Scenario: A store's warehouse system sends the same receipts again
    Given Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    When Galeries Lafayette records the receipt of the 3 carpets in shipment "DESADV-0412"
    And Galeries Lafayette's warehouse system sends the same receipts again
    Then Galeries Lafayette gets the same answer both times
    And no label is marked

  Scenario: A shipment holds more carpets than labels
    Given Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    When Galeries Lafayette's dock scans the first carpet's label twice in shipment "DESADV-0413"
    Then the first carpet's label is marked "received_twice_in_one_shipment"

  Scenario: A store's EPCIS system records a receiving event
    Given Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    When Galeries Lafayette's EPCIS system sends a receiving event for the 3 carpets
    Then Galeries Lafayette's receipts list the 3 carpets, recorded through EPCIS
