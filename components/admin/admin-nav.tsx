import Link from 'next/link';
import type { AgencyActor } from '@/lib/auth/session';
import { canAdmin } from '@/lib/admin/permissions';

/** Console navigation; the policy link shows only to those the permission table lets edit it. */
export function AdminNav({ actor, current }: { actor: AgencyActor; current: string }) {
  const links = [
    { href: '/admin', label: 'Users' },
    { href: '/admin/help-requests', label: 'Help requests' },
    { href: '/admin/audit', label: 'Audit log' },
    ...(canAdmin(actor, 'policy:edit').allowed ? [{ href: '/admin/policy', label: 'Security policy' }] : []),
  ];
  return (
    <nav aria-label="Admin console" className="sub-nav">
      <span className="muted">
        {actor.agencyName} ({actor.agencyCode})
      </span>
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={current === link.href ? 'page' : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
        <li>
          <Link href="/account">Your account</Link>
        </li>
      </ul>
    </nav>
  );
}
