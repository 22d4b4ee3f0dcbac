Feature: A buyer sees what the label belongs to
  A signature proves that the registry issued a label, not that the label is on the item it
  was issued for: a genuine label peeled off a fine carpet and stuck on a lesser one still
  verifies. So the verdict says what the label belongs to, in words and photos a buyer can
  check with their own eyes, and a label moved to a different item is visible.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the inspector describes the carpet line as a hand-knotted Beni Ouarain carpet of wool, 200 by 300 cm

  Scenario: A buyer sees what the label belongs to
    Given a carpet of the cooperative carries a Khatem label
    When a buyer whose phone speaks English scans the label
    Then the page says "This label belongs to: Beni Ouarain carpet, hand-knotted, wool, 200 × 300 cm — check that it matches the item in front of you."
    And a retailer's system reads the same item in the JSON verdict

  Scenario: A label moved to a different item is visible
    Given a carpet of the cooperative carries a Khatem label
    And the label is peeled off and stuck on a small pottery tagine
    When a buyer whose phone speaks French scans the label
    Then the page is still "Authentique" but describes a carpet of 200 × 300 cm, not the tagine in the buyer's hands
    And the page tells the buyer not to rely on the verdict if the item does not match

  Scenario: The artisan adds a photo of the carpet and the buyer sees it
    Given a carpet of the cooperative carries a Khatem label
    And the artisan adds a photo of the carpet taken with a phone that records its position
    When a buyer whose phone speaks Arabic scans the label
    Then the page shows the photo's thumbnail, described by the item's name
    And the photo the registry serves carries no position and no camera data

  Scenario: An offline verifier shows the same item
    Given a carpet of the cooperative carries a Khatem label
    When a customs officer checks the label offline with python -m verify
    Then the offline verdict describes the same Beni Ouarain carpet of 200 × 300 cm, without photos

  Scenario: A corrected description shows on the very next scan
    Given a carpet of the cooperative carries a Khatem label
    And a buyer whose phone speaks English scans the label
    And a retailer's system scans it too
    When the inspector corrects the carpet's size to 250 by 350 cm
    And a buyer whose phone speaks English scans the label
    Then the page says "This label belongs to: Beni Ouarain carpet, hand-knotted, wool, 250 × 350 cm"
    And the retailer's system reads 2500 by 3500 mm on its next scan
