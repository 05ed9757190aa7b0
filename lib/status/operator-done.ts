/**
 * What the status operations page says after an operator's change made without JavaScript
 * (`?done=<action>`): the page reloaded, rather than the form's answer that a reload sends again.
 */
export const OPERATOR_DONE = {
  'status-set-component': 'Component state saved.',
  'status-open-incident': 'Incident opened. Subscribers are alerted by e-mail.',
  'status-update-incident': 'Update posted. Subscribers are alerted by e-mail.',
  'status-schedule-maintenance': 'Maintenance scheduled. Subscribers are alerted by e-mail.',
  'status-start-maintenance': 'Maintenance started. Subscribers are alerted by e-mail.',
  'status-extend-maintenance': 'Maintenance extended.',
  'status-end-maintenance': 'Maintenance ended. Subscribers are alerted by e-mail.',
  'status-cancel-maintenance': 'Maintenance cancelled.',
} as const;
