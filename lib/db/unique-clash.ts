/** Whether a write failed because a row with the same unique key is there already (Prisma's P2002, on both databases). */
export function isUniqueClash(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}
