import type { SgNode } from '@ast-grep/napi';

/**
 * A parsed node with its native look-ups (kind, text, children, parent, fields) memoised, so that
 * many rules asking about the same node cross into native code once per question. Nodes reached
 * from a view (its parent, children, fields) are views too, memoised the same way.
 */
export class NodeView {
  readonly node: SgNode;
  private kindValue: string | undefined;
  private textValue: string | undefined;
  private idValue: number | undefined;
  private childrenValue: NodeView[] | undefined;
  private parentValue: NodeView | null | undefined;
  private fieldValues: Map<string, NodeView | null> | undefined;
  /** Results of sub-rules reached through `has`/`inside` with `stopBy: end`, by sub-rule number. */
  private memoValues: Map<number, boolean> | undefined;

  constructor(node: SgNode) {
    this.node = node;
  }

  kind(): string {
    if (this.kindValue === undefined) this.kindValue = String(this.node.kind());
    return this.kindValue;
  }

  text(): string {
    if (this.textValue === undefined) this.textValue = this.node.text();
    return this.textValue;
  }

  id(): number {
    if (this.idValue === undefined) this.idValue = this.node.id();
    return this.idValue;
  }

  /** Every child, named or not (as ast-grep's `has` sees them). */
  children(): NodeView[] {
    if (this.childrenValue === undefined) {
      this.childrenValue = this.node.children().map((child) => new NodeView(child));
    }
    return this.childrenValue;
  }

  parent(): NodeView | null {
    if (this.parentValue === undefined) {
      const parent = this.node.parent();
      this.parentValue = parent ? new NodeView(parent) : null;
    }
    return this.parentValue;
  }

  /** The first child in `name` (as ast-grep's `field` does). */
  field(name: string): NodeView | null {
    this.fieldValues ??= new Map();
    let value = this.fieldValues.get(name);
    if (value === undefined) {
      const child = this.node.field(name);
      value = child ? new NodeView(child) : null;
      this.fieldValues.set(name, value);
    }
    return value;
  }

  /** A remembered sub-rule result, computed once per view. */
  memo(rule: number, compute: () => boolean): boolean {
    this.memoValues ??= new Map();
    let value = this.memoValues.get(rule);
    if (value === undefined) {
      value = compute();
      this.memoValues.set(rule, value);
    }
    return value;
  }
}
