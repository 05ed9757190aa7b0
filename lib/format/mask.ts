// Verifiers compare what a requester typed with what is on record without reading the record
// out to a caller: enough to recognise, not enough to hand over.

/** "sam.rivera@acme-homecare.example" → "s***@acme-homecare.example". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${[...email.slice(0, at)][0]}***${email.slice(at)}`;
}

/**
 * "+1 212 555 0151" → "+1 ••• ••• 0151": the country code and the last four digits stay,
 * every other digit becomes a dot, and the layout is kept so the number is recognisable.
 */
export function maskPhone(phone: string): string {
  const countryCode = /^\s*\+\d{1,3}(?=\D)/.exec(phone)?.[0] ?? '';
  const rest = phone.slice(countryCode.length);
  const totalDigits = rest.replace(/\D/g, '').length;
  let seen = 0;
  const masked = rest.replace(/\d/g, (digit) => (++seen > totalDigits - 4 ? digit : '•'));
  return countryCode + masked;
}
