/** The suggested order of plans (dependencies first, then by number) and notes on their dependencies. */
import type { Plan } from './plan.ts';

type OrderPlan = Pick<Plan, 'id' | 'number' | 'dependsOn'>;

/** Plan ids in dependency order; ties and cycles fall back to plan number. */
export function orderPlans(plans: readonly OrderPlan[]): { order: string[]; cyclic: string[] } {
  const sorted = [...plans].sort((a, b) => a.number - b.number);
  const known = new Set(sorted.map((plan) => plan.id));
  const done = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const plan of sorted) {
      if (done.has(plan.id)) continue;
      if (plan.dependsOn.every((id) => done.has(id) || !known.has(id))) {
        done.add(plan.id);
        order.push(plan.id);
        progress = true;
        break;
      }
    }
  }
  const cyclic = sorted.filter((plan) => !done.has(plan.id)).map((plan) => plan.id);
  return { order: [...order, ...cyclic], cyclic };
}

/** Lines for the index's "order" region. */
export function planOrder(plans: readonly OrderPlan[]): string[] {
  if (plans.length === 0) return ['No plans yet.'];
  const { order, cyclic } = orderPlans(plans);
  const known = new Set(plans.map((plan) => plan.id));
  const lines = [`Suggested order: ${order.join(' → ')}.`];
  const notes: string[] = [];
  for (const plan of [...plans].sort((a, b) => a.number - b.number)) {
    for (const dependency of plan.dependsOn) {
      notes.push(
        known.has(dependency)
          ? `- ${plan.id} depends on ${dependency}: finish ${dependency} first.`
          : `- ${plan.id} depends on ${dependency}, which has no plan file here.`,
      );
    }
  }
  if (cyclic.length > 0)
    notes.push(`- ${cyclic.join(', ')} depend on each other in a cycle: resolve by hand.`);
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('', 'Plans without dependencies between them can be done in any order, in parallel.');
  return lines;
}
