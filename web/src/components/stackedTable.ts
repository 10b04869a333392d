/*
 * Style props for a table that stacks on a phone: below md each row is a
 * wrapped line of blocks (the first one full width, the actions pushed to
 * the end) and the column headers are hidden; from md up it is a table.
 * Spread them on Table.Root / Header / Body / Row / Cell.
 */
export const stackedTable = {
  root: { display: { base: 'block', md: 'table' } },
  header: { display: { base: 'none', md: 'table-header-group' } },
  body: { display: { base: 'block', md: 'table-row-group' } },
  row: {
    display: { base: 'flex', md: 'table-row' },
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: '12px',
    rowGap: '6px',
    py: { base: '12px', md: 0 },
    borderBottomWidth: { base: '1px', md: 0 },
    borderColor: 'border',
  },
  cell: {
    display: { base: 'block', md: 'table-cell' },
    ps: { base: 0, md: '2' },
    pe: { base: 0, md: '2' },
    py: { base: 0, md: '2' },
    borderBottomWidth: { base: 0, md: '1px' },
  },
  /** the row's main cell: a line of its own on a phone */
  firstCell: { flexBasis: { base: '100%', md: 'auto' }, ps: 0, whiteSpace: 'normal' },
  /** the actions: at the end of the line on a phone */
  actionsCell: { ms: { base: 'auto', md: 0 } },
} as const;
