Feature: Stores hear when a label they received changes status
  A department store that took in labelled items wants to know, without asking, when one of
  them is revoked or suspended, or when the certificate behind it is withdrawn: it pulls the
  item from the shelf. The registry calls the store's own system, signs what it sends, and
  keeps trying until the store's system answers.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the cooperative's labels for 2 carpets
    And Galeries Lafayette received the 2 carpets and listens for status changes

  Scenario: A store hears that a label it received was revoked
    When the chambre revokes the first carpet's label because it was "lost_or_stolen"
    And the registry delivers its webhooks
    Then Galeries Lafayette's system gets one signed "label.revoked" event for the first carpet
    And the event says the reason was "lost_or_stolen"

  Scenario: A store's system that was down gets the event when it is back
    Given Galeries Lafayette's system answers the next call with an error 503
    When the chambre revokes the first carpet's label because it was "lost_or_stolen"
    And the registry delivers its webhooks
    Then Galeries Lafayette's system gets one signed "label.revoked" event for the first carpet
    And Galeries Lafayette's delivery log shows the failed attempt and then the delivery
