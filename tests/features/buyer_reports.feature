Feature: Buyers report fakes, and the certifying body decides
  A buyer in a shop abroad scans a carpet's label: the page says "Authentic", yet the carpet
  looks nothing like a Taznakht carpet. From the label's page the buyer reports a suspected
  fake, saying what was bought and where, without giving a name. The report opens a case for
  the chambre that certified the cooperative; its administrator reads the reports beside the
  label's receipts by retailers and confirms the clone or dismisses the case. The decision is
  written in the transparency log, and nothing the buyer wrote ever is.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And a carpet label of the cooperative
    And El Corte Inglés received that carpet and listens for status changes

  Scenario: A buyer reports a fake and the body confirms it
    When a buyer reports that the carpet bought at "Bazar Atlas" in Madrid is a fake, with a photo
    And another buyer reports the same label from "Tienda Sol" in Sevilla
    Then the chambre has one open case for the label, with 2 reports
    And another chambre's administrator cannot open that case
    When the chambre's administrator confirms the clone
    Then the label is marked "confirmed_clone"
    And El Corte Inglés is told that the label is suspicious
    And the transparency log records "label.clone_confirmed" without the buyers' words

  Scenario: A body dismisses a report
    When a buyer reports that the carpet bought at "Souk Semmarine" in Marrakech is a fake
    And the chambre's administrator dismisses the case
    Then the case is closed as dismissed
    And the label carries no mark
    And the transparency log records "label.report_dismissed" without the buyers' words

  Scenario: A buyer who sends the form too often is asked, in Arabic, to try again later
    When a buyer whose phone speaks Arabic sends the report form 4 times in a minute
    Then the last answer is a page in Arabic saying to try again in a minute
    And the page says when to retry in a Retry-After header
    And nothing stored anywhere holds the buyer's address

  Scenario: A retailer's system that sends too many reports gets a problem, not a page
    When a retailer's system sends 4 reports in a minute
    Then the last answer is application/problem+json "rate-limited" with Retry-After
