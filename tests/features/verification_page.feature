Feature: Reading a label's verdict, checking a delivery, showing a certificate
  Buyers, receiving clerks and artisans see Khatem through its public pages: the verdict of
  a scanned label in their own language, a results table for a pallet of scans, and the
  badge an artisan puts on its shop's website.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets

  Scenario: A buyer in Madrid scans an authentic label and reads the verdict in Spanish
    Given a carpet of the cooperative carries a Khatem label
    When a buyer whose phone speaks Spanish scans the label
    Then the page is in Spanish and says "Auténtico"
    And the buyer reads the cooperative's name in Latin and in Arabic script
    And the buyer can switch the page to العربية, English or Français

  Scenario: An Arabic-speaking buyer gets the page right to left
    Given a carpet of the cooperative carries a Khatem label
    When a buyer whose phone speaks Arabic scans the label
    Then the page is in Arabic, laid out right to left, and says "أصلي"
    And the cooperative's Latin name stays left to right

  Scenario: A receiving clerk checks a pallet of 400 carpets at once
    Given the cooperative shipped 400 labelled carpets
    When the receiving clerk uploads a CSV file of the 400 scans
    Then the clerk sees 400 verdicts, all "Authentic"
    And the clerk can download the 400 verdicts as a CSV file

  Scenario: An artisan shows its certificate badge on its website
    When the cooperative embeds its certificate badge
    Then the badge says "certified" and links to the public certificate page
    And the certificate page shows the certificate in force, without personal data

  Scenario: A suspended certificate's badge says so
    Given the body suspends the cooperative's certificate after a failed check
    When a shop's website shows the cooperative's badge in French
    Then the badge says "suspendu"
    And the certificate page gives the reason for the suspension

  Scenario: A label under a suspended certificate says what was suspended and why
    Given a carpet of the cooperative carries a Khatem label
    And the body suspends the cooperative's certificate after a failed check
    When a buyer whose phone speaks English scans the label
    Then the headline says "The artisan's certificate is suspended: a non-conformity found during a check."
    And no check below says that the certificate's conformity passed

  Scenario: A stolen label says the registry revoked it, not that a certificate was withdrawn
    Given a carpet of the cooperative carries a Khatem label
    And the registry revokes the label as stolen
    When a buyer whose phone speaks English scans the label
    Then the headline says "The registry has revoked this label: label lost or stolen."
    And the page does not speak of a withdrawn certificate

  Scenario: A forged label names the check that failed and lists no checks that never ran
    Given a carpet of the cooperative carries a Khatem label
    When a buyer whose phone speaks English scans the label with its serial altered
    Then the headline names the failed check's finding
    And the page lists only the checks that ran, and names the others in one sentence

  Scenario: An Arabic-speaking buyer reads the catalogue in Arabic where Arabic names exist
    Given a carpet of the cooperative carries a Khatem label
    When a buyer whose phone speaks Arabic scans the label
    Then the region reads "درعة تافيلالت", marked as Arabic
    And the certifying body reads "غرفة الصناعة التقليدية لجهة درعة تافيلالت", marked as Arabic
    And the label scheme, which has no Arabic name, is shown in French and marked as French
