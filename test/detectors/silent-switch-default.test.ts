import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentSwitchDefault } from '../../src/detectors/correctness/silent-switch-default.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('correctness/silent-switch-default', () => {
  it('flags silent defaults over unions and enums declared in the file (MED), others LOW', () => {
    const findings = detect(silentSwitchDefault, {
      'src/orders.ts': [
        "type Status = 'pending' | 'paid' | 'refunded';",
        "type Event = { kind: 'created'; id: string } | { kind: 'cancelled'; id: string; reason: string };",
        'enum Channel { Email, Sms, Push }',
        'export function label(status: Status) {',
        '  switch (status) {',
        "    case 'pending': return 'Waiting';",
        "    case 'paid': return 'Paid';",
        '    default: return;',
        '  }',
        '}',
        'export function apply(event: Event) {',
        '  switch (event.kind) {',
        "    case 'created': create(event.id); break;",
        "    case 'cancelled': cancel(event.id); break;",
        '    default: break;',
        '  }',
        '}',
        'export function send(channel: Channel, text: string) {',
        '  switch (channel) {',
        '    case Channel.Email: mail(text); break;',
        '    case Channel.Sms: sms(text); break;',
        '    default:',
        '  }',
        '}',
        "export function onMessage(message: import('./worker').WorkerMessage) {",
        '  switch (message.type) {',
        "    case 'ready': start(); break;",
        "    case 'closed': stop(); break;",
        '    default: break;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/orders.ts', 8, 'MED'],
      ['src/orders.ts', 15, 'MED'],
      ['src/orders.ts', 22, 'MED'],
      ['src/orders.ts', 29, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /`refunded`/);
    assert.match(findings[1]?.message ?? '', /unreachable today/);
    assert.match(findings[2]?.message ?? '', /`Push`/);
    assert.equal(
      findings[0]?.doneCheck,
      "[ \"$(grep -cE -- ':[[:space:]]*never[[:space:]]*=|assertNever[(]|assertUnreachable[(]|[Ee]xhaustive[A-Za-z]*[(]|satisfies never' 'src/orders.ts')\" -gt 0 ]",
    );
  });

  it("leaves a switch over a keyboard event's key alone: any string, never a union (Docusaurus Tabs)", () => {
    const findings = detect(silentSwitchDefault, {
      'src/theme/Tabs/index.tsx': [
        'export function Tabs({ tabRefs }: Props) {',
        '  const handleKeydown = (event: React.KeyboardEvent<HTMLLIElement>) => {',
        '    let focusElement: HTMLLIElement | null = null;',
        '    switch (event.key) {',
        "      case 'Enter': { select(event); break; }",
        "      case 'ArrowRight': { focusElement = tabRefs[0] ?? null; break; }",
        '      default:',
        '        break;',
        '    }',
        '    focusElement?.focus();',
        '  };',
        '  return <ul role="tablist" onKeyDown={handleKeydown} />;',
        '}',
      ].join('\n'),
      'src/shortcuts.ts': [
        'export function onKey(e: KeyboardEvent) {',
        '  switch (e.code) {',
        "    case 'KeyK': openSearch(); break;",
        "    case 'Escape': close(); break;",
        '    default: break;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('leaves exhaustive checks, defaults that act or explain, fall-through defaults and non-literal cases alone', () => {
    const findings = detect(silentSwitchDefault, {
      'src/ok.ts': [
        "type Mode = 'light' | 'dark';",
        'export function theme(mode: Mode) {',
        '  switch (mode) {',
        "    case 'light': return LIGHT;",
        "    case 'dark': return DARK;",
        '    default: {',
        '      const unhandled: never = mode;',
        '      throw new Error(`Unknown mode ${unhandled}`);',
        '    }',
        '  }',
        '}',
        'export function reducer(state: State, action: Action) {',
        '  switch (action.type) {',
        "    case 'add': return [...state, action.item];",
        "    case 'clear': return [];",
        '    default: return state;',
        '  }',
        '}',
        'export function route(path: string) {',
        '  switch (path) {',
        "    case '/': home(); break;",
        "    case '/about': about(); break;",
        '    default:',
        '      // other paths are served by the static handler',
        '      break;',
        '  }',
        '}',
        'export function op(operator: string) {',
        '  switch (operator) {',
        "    case '<': lt(); break;",
        "    case '>': gt(); break;",
        '    default:',
        '      break; // != excludes one version; nothing to change',
        '  }',
        '}',
        'export function handle(kind: string) {',
        '  switch (kind) {',
        "    case 'a': a(); break;",
        "    case 'b': b(); break;",
        '    default: break;',
        '  }',
        '  switch (String(kind)) {',
        "    case 'c': c(); break;",
        "    case 'd': d(); break;",
        '    default: break;',
        '  }',
        '}',
        'export function size(n: number) {',
        '  switch (n) {',
        '    case 1: one(); break;',
        '    case 2: two(); break;',
        '    default: break;',
        '  }',
        '}',
        'export function parse(token: string) {',
        '  switch (token) {',
        '    default:',
        "    case 'a': a(); break;",
        "    case 'b': b(); break;",
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
