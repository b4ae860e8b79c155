// Shared by status and complete: drop from a scope list the nodes this node is wired to (no simple loopback).
export function withoutWiredTargets(scope: string[], wires: string[][]): string[] {
  const wired = new Set(wires.flat());
  return scope.filter((id) => !wired.has(id));
}
