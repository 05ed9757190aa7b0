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

/**
 * What it says when, without JavaScript, a change is refused because its incident or window has moved
 * on (another operator, another tab): its form is no longer on the page to hold the answer (review r34b F1).
 */
export const OPERATOR_GONE = {
  'status-update-incident-gone': 'Your update was not posted: that incident had already been resolved. Nothing was changed.',
  'status-start-maintenance-gone': 'Nothing was changed: that maintenance window had already started, ended or been cancelled.',
  'status-extend-maintenance-gone': 'Nothing was changed: that maintenance window had already ended or been cancelled.',
  'status-end-maintenance-gone': 'Nothing was changed: that maintenance window was no longer in progress.',
  'status-cancel-maintenance-gone': 'Nothing was changed: that maintenance window had already started, ended or been cancelled.',
} as const;
