import type { ReactNode } from 'react';
import type { CheckTone } from '@/lib/help/connection-check';

const TONE_LABEL: Record<CheckTone, string> = {
  pending: 'Checking',
  ok: 'Good',
  warning: 'Warning',
  problem: 'Problem',
};

/** The box a live check answers in; the tone is written out, never shown by colour alone. */
export function CheckResult({ tone, title, children }: { tone: CheckTone; title: string; children?: ReactNode }) {
  return (
    <div className="live-check" data-tone={tone}>
      <p className="live-check-title">
        <span className="live-check-tone">{TONE_LABEL[tone]}:</span> {title}
      </p>
      {children}
    </div>
  );
}

/** A check's list of lines (what is affected, what to try), or nothing when there are none. */
export function CheckLines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <ul>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
