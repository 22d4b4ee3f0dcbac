Feature: An administrator withdraws a certificate
  Lahcen administers the Drâa-Tafilalet chambre. A surveillance visit found that a weaving
  cooperative of Taznakht sold carpets under copied labels. In the workspace he finds the
  cooperative's certificate, reads what a withdrawal does, gives the reason and confirms.
  The withdrawal is final: the history says who decided, when and why, the public page of
  the certificate says it is withdrawn, and no decision is offered any more. Nothing
  happens before he confirms, and the administrator of another chambre cannot do it.

  Background:
    Given Lahcen, the administrator of the Drâa-Tafilalet chambre, is signed in
    And the weaving cooperative of Taznakht holds an active carpet certificate

  Scenario: Lahcen withdraws the certificate after confirming
    When he looks for the active certificates of the weavers of Drâa-Tafilalet
    Then he finds the cooperative's certificate in the list
    When he asks to withdraw it
    Then the confirmation page says that the withdrawal is final
    And the certificate is still active
    When he confirms with the reason "fraud" and the note "Étiquettes copiées, visite du 3 mars"
    Then the certificate page says "est retiré"
    And its history shows the withdrawal by Lahcen, for fraud, with the note
    And the public page of the certificate says it is withdrawn
    And no decision is offered any more

  Scenario: Lahcen changes his mind on the confirmation page
    When he asks to withdraw it
    And he goes back to the certificate without confirming
    Then the certificate is still active

  Scenario: A withdrawal without a reason is refused, in his language
    When he asks to withdraw it
    And he confirms without choosing a reason
    Then the form says beside the reason "Ce champ est obligatoire."
    And the certificate is still active

  Scenario: The administrator of another chambre cannot withdraw it
    Given Youssef, the administrator of the Marrakech-Safi chambre, is signed in
    When Youssef sends a withdrawal of the certificate
    Then Youssef is told that the certificate is not found
    And the certificate is still active
