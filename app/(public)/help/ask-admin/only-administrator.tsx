/**
 * For an administrator no one else at the agency can help (a lone super admin): asking reaches no one, and
 * the way back is the public request the vendor verifies (review r41g F1). Said to everyone, on the form and
 * in its answer alike, so it tells no one whether an account is an administrator's.
 */
export function OnlyAdministrator() {
  return (
    <p>
      Are you an administrator of your agency, and no other administrator can reset your password? Send a{' '}
      <a href="/super-admin-reset">super administrator password reset request</a> instead.
    </p>
  );
}
