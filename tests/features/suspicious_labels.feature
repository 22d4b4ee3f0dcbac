Feature: A copied label is told apart from the genuine one
  A genuine QR code photographed and printed on a hundred lesser carpets still carries a
  genuine signature. The registry cannot see the carpet, but it can see the label: counted
  scans (never the people who scan) and the receipts of retailers tell it when one label is
  on more items than one. The verdict is then SUSPICIOUS, and the page says why and what to
  do, in the buyer's language.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the cooperative's label for one carpet

  Scenario: A copied label is scanned in three countries
    Given the registry treats more than 2 countries in a week as more than one carpet can travel
    When buyers scan the carpet's label in Morocco, France and Germany
    And the scan counts are written
    Then the carpet's label is "SUSPICIOUS" because "scanned_in_many_countries"
    And the page in English says "Scanned in 3 countries (France, Germany, Morocco) within 7 days"
    And the page in French says "Scannée dans 3 pays (Allemagne, France, Maroc) en 7 jours"
    And the page in Arabic says "مُسحت في 3 بلدان"

  Scenario: A buyer without a scanner types the short address of a copied label
    Given the registry treats more than 2 countries in a week as more than one carpet can travel
    When buyers scan the carpet's label in Morocco, France and Germany
    And the scan counts are written
    Then the short address page in English says the label is "Suspicious"
    And the short address page in English says "Scanned in 3 countries (France, Germany, Morocco) within 7 days"
    And the short address page in French says "Scannée dans 3 pays (Allemagne, France, Maroc) en 7 jours"
    And the short address page in Spanish says "compare el objeto con su descripción"
    And the short address page in Arabic says "مُسحت في 3 بلدان"

  Scenario: The short address of a confirmed clone says so
    When the certifying body confirms that the carpet's label was cloned
    Then the short address page in English says the label is "Suspicious"
    And the short address page in English says "The certifying body confirmed on"

  Scenario: Two department stores receive the same serial
    Given Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    And Galeries Lafayette and El Corte Inglés listen for label events
    When Galeries Lafayette records the receipt of the carpet in shipment "DESADV-0412"
    And El Corte Inglés records the receipt of the carpet in shipment "ALB-77"
    Then the carpet's label is "SUSPICIOUS" because "received_by_two_retailers"
    And the page in English says "Received by a retailer in France on"
    And the page in Spanish says "Recibida por un comerciante en Francia el"
    And each store is told once that the label is suspicious

  Scenario: A label is scanned far more often than one carpet is
    Given the registry treats more than 4 scans in a week as more than one carpet gets
    When buyers scan the carpet's label 5 times
    And the scan counts are written
    Then the carpet's label is "SUSPICIOUS" because "scanned_too_often"
    And the page in English says "Scanned 5 times within 7 days"

  Scenario: The certifying body confirms a clone
    When the certifying body confirms that the carpet's label was cloned
    Then the carpet's label is "SUSPICIOUS" because "confirmed_clone"
    And the page in English says "The certifying body confirmed on"

  Scenario: A revoked label stays revoked even when copied
    Given the registry treats more than 4 scans in a week as more than one carpet gets
    When buyers scan the carpet's label 5 times
    And the scan counts are written
    And the registry revokes the carpet's label
    Then the carpet's label is "REVOKED" because "label_revoked"

  Scenario: The body lifts a mark after a trade fair, and only later scans count
    Given the registry treats more than 4 scans in a week as more than one carpet gets
    And Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts
    And Galeries Lafayette and El Corte Inglés listen for label events
    And Galeries Lafayette records the receipt of the carpet in shipment "DESADV-0412"
    When buyers scan the carpet's label 5 times
    And the scan counts are written
    Then the carpet's label is "SUSPICIOUS" because "scanned_too_often"
    When the scan counts are written
    And the certifying body's administrator lifts the mark because "Salon de l'artisanat, Paris, 3-9 mars"
    Then the carpet's label is "AUTHENTIC"
    And the short address page in English no longer says the label is suspicious
    And Galeries Lafayette is told that the mark was lifted
    And the transparency log records the lift without the administrator's note
    When the scan counts are written while the week's total is still over the limit
    Then the carpet's label is "AUTHENTIC"
    When buyers scan the carpet's label 5 times
    And the scan counts are written
    Then the carpet's label is "SUSPICIOUS" because "scanned_too_often"
    And the page in English counts only the scans since the lift
