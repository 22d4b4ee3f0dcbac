Feature: An inspector records an audit in the workspace
  Nadia inspects potteries for the Marrakech-Safi chambre. In a workshop in Safi she uses
  the workspace on her phone: she registers the potter and the tajine line, fills the
  Madmoun form (each criterion shows its unit, its limit and its method), takes a photo of
  the kiln, saves, and certifies the workshop from the passing audit. Her forms work without
  JavaScript; a second tap on "save" records nothing more; a value the registry cannot read
  is shown beside its field, in her language.

  Background:
    Given Nadia, an inspector of the Marrakech-Safi chambre authorised for Madmoun, is signed in

  Scenario: Nadia registers a potter, records a passing Madmoun audit and certifies
    When she registers the potter "Atelier Bennani", "ورشة بناني", NIA "NIA-07-555001", in Safi
    And she adds the product line "Tajine émaillé" of the family "poterie"
    And she opens the "MADMOUN" audit form of the potter
    Then the form shows the criterion "Migration du plomb" with the limit "≤ 0,8 mg/dm2"
    And the form shows a camera field for photos
    When she records "0,05" of lead, "0,01" of cadmium and a food contact declaration, with a photo
    Then the audit page says the audit passed
    And the photo is attached to the audit
    When she sends the same form a second time
    Then only one audit of the potter is on record
    When she certifies the potter from the audit
    Then the page shows a certificate code "C-" and its validity

  Scenario: A lead measurement over the limit fails the audit, and no certificate is offered
    Given a potter of her chambre with a tajine line
    When she records "1,2" of lead, "0,01" of cadmium and a food contact declaration
    Then the audit page says the audit failed
    And the page offers no certification

  Scenario: A value the registry cannot read is shown beside its field
    Given a potter of her chambre with a tajine line
    When she records "abc" of lead, "0,01" of cadmium and a food contact declaration
    Then the form says "Saisissez un nombre" beside the lead field
    And the form keeps "abc" in the lead field
    And no audit of the potter is on record

  Scenario: An authorisation withdrawn while Nadia is signed in takes effect at once
    Given a potter of her chambre with a tajine line
    And she has the "MADMOUN" audit form open
    When the chambre's administrator withdraws her Madmoun authorisation
    And she saves the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    Then the form says she is not or no longer authorised for this label
    And no audit of the potter is on record
