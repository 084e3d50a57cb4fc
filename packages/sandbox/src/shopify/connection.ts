/** A connection over a list: `first` items after the cursor `after` (an index). */
export function connection<T>(all: readonly T[], first: number, after: string | undefined) {
  const start = after === undefined ? 0 : Number(Buffer.from(after, "base64").toString()) + 1;
  const nodes = all.slice(start, start + Math.max(0, first));
  const end = start + nodes.length - 1;
  return {
    nodes,
    pageInfo: {
      hasNextPage: start + nodes.length < all.length,
      endCursor: nodes.length === 0 ? null : Buffer.from(String(end)).toString("base64"),
    },
  };
}
