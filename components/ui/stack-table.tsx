import type { ReactNode } from 'react';

export type Column<T> = { label: string; cell: (row: T) => ReactNode };

/**
 * A table that becomes a list on a phone (app/globals.css `.stack-table`): each cell carries its
 * column's name as data-label, taken from the same column as the header so the two cannot drift.
 * With `empty`, no rows show that sentence instead of an empty table.
 */
export function StackTable<T>({ columns, rows, rowKey, empty }: { columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string | number; empty?: string }) {
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  return (
    <table className="table stack-table">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.label} data-label={column.label}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
