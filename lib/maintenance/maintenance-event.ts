import type { Db, Tx } from '@/lib/db/client';
import type { StatusAlertEvent } from '@/lib/status/status-alert-content';
import { COMPONENT_LINK_SELECT, namesInOrder } from '@/lib/status/component-names';

type MaintenanceKind = Extract<StatusAlertEvent, { startsAt: Date }>['kind'];

/** The alert for a window as it now stands (read after the change, inside its transaction). */
export async function maintenanceAlertEvent(tx: Tx | Db, windowId: string, kind: MaintenanceKind): Promise<StatusAlertEvent> {
  const window = await tx.maintenanceWindow.findUniqueOrThrow({
    where: { id: windowId },
    select: {
      title: true,
      description: true,
      startsAt: true,
      endsAt: true,
      blocksSignIn: true,
      components: COMPONENT_LINK_SELECT,
    },
  });
  const { title, description, startsAt, endsAt, blocksSignIn } = window;
  return { kind, title, description, startsAt, endsAt, blocksSignIn, components: namesInOrder(window.components) };
}
