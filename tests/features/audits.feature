Feature: Inspectors record audits, and the registry decides whether they pass
  An inspector of a chambre d'artisanat visits a workshop, measures and observes what the
  label scheme asks for, and records it. Whether the audit passes is the registry's
  arithmetic on the scheme's thresholds, never the inspector's say; only a passing audit
  leads to a certificate. Inspectors audit only for the schemes they are authorised for, and
  an artisan reads its own audits and nobody else's.

  Scenario: An inspector records a passing carpet audit and the artisan is certified
    Given the Taznakht weaving cooperative registered with the Drâa-Tafilalet chambre
    And an inspector of that chambre authorised for the carpet stamp
    When the inspector records a "TAPIS-SUPERIEURE" audit counting 96000 knots per square metre
    Then the audit passes
    When the inspector certifies the workshop from that audit
    Then the workshop holds an active "TAPIS-SUPERIEURE" certificate valid for 36 months

  Scenario: A pottery audit with lead release over the limit fails and no certificate follows
    Given a Safi potter registered with the Marrakech-Safi chambre
    And an inspector of that chambre authorised for Madmoun
    When the inspector records a Madmoun audit measuring 1.2 mg/dm2 of lead release
    Then the audit fails on "lead_release" only
    When the inspector tries to certify the workshop from that audit
    Then the certificate is refused with "Only a passing audit can be certified." (422)
    And the workshop holds no certificate

  Scenario: An inspector not authorised for Madmoun cannot audit for it
    Given a potter registered with the Drâa-Tafilalet chambre
    And an inspector of that chambre authorised for the carpet stamp
    When the inspector records a Madmoun audit measuring 0.1 mg/dm2 of lead release
    Then the audit is refused with "You are not authorised to audit for MADMOUN." (403)
    And no audit of the workshop is on record

  Scenario: An artisan cannot read another artisan's audits
    Given the Taznakht weaving cooperative registered with the Drâa-Tafilalet chambre
    And an inspector of that chambre authorised for the carpet stamp
    And the inspector has recorded a "TAPIS-MOYENNE" audit of the workshop
    And Fatima Aït Ali, a weaver of the same chambre, is signed in
    When Fatima opens the cooperative's audit
    Then Fatima is told "No such audit." (404)
    And Fatima's list of audits is empty

  Scenario: An audit counting fewer knots than the grade requires fails
    Given the Taznakht weaving cooperative registered with the Drâa-Tafilalet chambre
    And an inspector of that chambre authorised for the carpet stamp
    When the inspector records a "TAPIS-SUPERIEURE" audit counting 84000 knots per square metre
    Then the audit fails on "knot_density" only

  Scenario: A mistaken audit is corrected by a new one and the original stays on record
    Given the Taznakht weaving cooperative registered with the Drâa-Tafilalet chambre
    And an inspector of that chambre authorised for the carpet stamp
    When the inspector records a "TAPIS-SUPERIEURE" audit counting 84000 knots per square metre
    And the inspector corrects it with a count of 94000 knots per square metre
    Then the correction passes and names the original audit
    And the original audit still fails and points to its correction
