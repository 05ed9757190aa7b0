/** How incidents and windows select the components they touch: just what is shown. */
export const COMPONENT_LINK_SELECT = { select: { componentId: true, component: { select: { name: true, position: true } } } } as const;

type ComponentLink = { component: { name: string; position: number } };

/** The components' names in the order the status page lists them. */
export function namesInOrder(links: ComponentLink[]): string[] {
  return [...links].sort((a, b) => a.component.position - b.component.position).map((link) => link.component.name);
}
