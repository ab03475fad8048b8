// The reference table (src/spec/reference.ts) against the parser: every key, step, op and
// behaviour argument the parser accepts is in the table (found by asking the parser itself, with an
// unknown key, which keys it expects), every example in it parses, and every default it shows is
// the value the parser fills in.
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap, type Node } from 'yaml';
import { BEHAVIOURS, formatSpecError, parseSpec, type Spec } from '../../src/spec';
import { SHARED_TYPES, type SharedType } from '../../src/spec/types';
import {
  argDefaultText, BEHAVIOUR_EXAMPLES, behaviourArgExample, behaviourExampleSpec, CRDT_OP_REFS, fillTemplate, keyExampleSpec, keysOf,
  SECTIONS, STEPS, STARTER_SPEC, stepExampleSpec,
} from '../../src/spec/reference';

const UNKNOWN = 'zzzq';

function errorsOf(text: string): string[] {
  const result = parseSpec(text);
  return result.ok ? [] : result.errors.map(formatSpecError);
}

function expectParses(text: string, what: string): Spec {
  const result = parseSpec(text);
  if (!result.ok) throw new Error(`${what} does not parse:\n${text}\n${result.errors.map(formatSpecError).join('\n')}`);
  return result.spec;
}

/** The list after `marker` in the one error about the unknown key. */
function listedAfter(text: string, marker: RegExp, about = `"${UNKNOWN}"`): string[] {
  const errors = errorsOf(text).filter((error) => error.includes(about));
  expect(errors, text).toHaveLength(1);
  const match = marker.exec(errors[0]);
  if (match === null) throw new Error(`no list in: ${errors[0]}`);
  return match[1].split(', ');
}

/** Deep copy with every `line` field dropped (examples move lines around). */
function withoutLines(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLines);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'line').map(([key, inner]) => [key, withoutLines(inner)]));
  }
  return value;
}

describe('every key the parser accepts is in the reference', () => {
  const probes: Record<string, string> = {
    top: `${UNKNOWN}: 1`,
    kernel: `${UNKNOWN}: 1`,
    cluster: `${UNKNOWN}: 1`,
    fault: `- { at: 1s, heal: all, ${UNKNOWN}: 1 }`,
    agent: `${UNKNOWN}: 1`,
    restart: `${UNKNOWN}: 1`,
    channel: `${UNKNOWN}: 1`,
    shared: `type: or-set\n${UNKNOWN}: 1`,
    resource: `${UNKNOWN}: 1`,
    autonomy: `${UNKNOWN}: 1`,
    supervisor: `${UNKNOWN}: 1`,
    backoff: `${UNKNOWN}: 1`,
    breaker: `${UNKNOWN}: 1`,
    readiness: `${UNKNOWN}: 1`,
  };
  for (const section of SECTIONS) {
    it(`${section.title}: the parser lists exactly the reference's keys`, () => {
      const text = fillTemplate(section.template, probes[section.id]);
      expect(listedAfter(text, /expected one of (.*) at \d+:\d+$/)).toEqual(keysOf(section.id));
    });
  }

  it('steps: the parser lists exactly the reference\'s steps', () => {
    expect(listedAfter(stepExampleSpec(`- ${UNKNOWN}: 1`), /; steps: (.*) at \d+:\d+$/)).toEqual(STEPS.map((step) => step.kind));
  });

  for (const step of STEPS) {
    if (step.args.length === 0 || step.kind === 'repeat' || step.kind === 'crdt') continue;
    it(`step ${step.kind}: the parser lists exactly the reference's arguments`, () => {
      const required = step.args.filter((arg) => arg.required).map((arg) => arg.example);
      const body = [...required, `${UNKNOWN}: 1`].flatMap((line) => line.split('\n'));
      const item = step.kind === 'choose'
        ? ['- choose:', `    - ${body[0]}`, ...body.slice(1).map((line) => `      ${line}`)]
        : [`- ${step.kind}:`, ...body.map((line) => `    ${line}`)];
      const listed = listedAfter(stepExampleSpec(item.join('\n')), /expected one of (.*) at \d+:\d+$/);
      expect(listed).toEqual(step.args.map((arg) => arg.key));
    });
  }

  it('repeat takes "do" beside it, and no other key', () => {
    expect(stepExampleSpec('- repeat: 2\n  do: [ { compute: 1ms } ]')).toSatisfy((text: string) => parseSpec(text).ok);
    expect(errorsOf(stepExampleSpec(`- repeat: 2\n  do: [ { compute: 1ms } ]\n  ${UNKNOWN}: 1`)).join('\n')).toContain(`unknown step "${UNKNOWN}"`);
    expect(STEPS.find((step) => step.kind === 'repeat')?.args.map((arg) => arg.key)).toEqual(['do']);
  });

  /** The object of each type in STEP_TEMPLATE. */
  const OBJECT_OF: Record<SharedType, string> = {
    'pn-counter': 'visits', 'or-set': 'seen', 'lww-map': 'config', text: 'notes', 'g-counter': 'hits', 'lww-register': 'leader', 'time-series': 'load', graph: 'links', workflow: 'jobs',
  };
  for (const ref of CRDT_OP_REFS) {
    it(`crdt ${ref.type} ${ref.op}: the parser lists exactly the reference's arguments`, () => {
      const object = OBJECT_OF[ref.type];
      const required = ref.args.filter((arg) => arg.required).map((arg) => `    ${arg.example}`);
      const text = stepExampleSpec(['- crdt:', `    object: ${object}`, `    op: ${ref.op}`, ...required, `    ${UNKNOWN}: 1`].join('\n'));
      expect(listedAfter(text, /; expected (.*) at \d+:\d+$/)).toEqual(['object', 'op', ...ref.args.map((arg) => arg.key)]);
    });
  }

  it('every shared type has its ops in the reference, and no others', () => {
    for (const type of SHARED_TYPES) {
      const object = OBJECT_OF[type];
      const listed = listedAfter(stepExampleSpec(`- crdt: { object: ${object}, op: ${UNKNOWN} }`), /: expected op (.*?)(?: \(did you mean.*)? at \d+:\d+$/, 'expected op');
      expect(listed).toEqual(CRDT_OP_REFS.filter((ref) => ref.type === type).map((ref) => ref.op));
    }
  });

  for (const behaviour of BEHAVIOURS) {
    it(`behaviour ${behaviour.name}: has an example, and the parser lists its arguments`, () => {
      const example = BEHAVIOUR_EXAMPLES[behaviour.name];
      expect(example, `BEHAVIOUR_EXAMPLES.${behaviour.name}`).toBeDefined();
      const text = behaviourExampleSpec({ ...example, example: example.example.replace(/^args: \{ /m, `args: { ${UNKNOWN}: 1, ` ) });
      expect(listedAfter(text, /; arguments: (.*) at \d+:\d+$/)).toEqual(behaviour.args.map((arg) => arg.name));
    });
  }

  it('no example is kept for a behaviour that does not exist', () => {
    expect(Object.keys(BEHAVIOUR_EXAMPLES).sort()).toEqual(BEHAVIOURS.map((behaviour) => behaviour.name).sort());
  });
});

describe('every example in the reference parses', () => {
  for (const section of SECTIONS) {
    for (const entry of section.keys) {
      it(`${section.title}.${entry.key}`, () => {
        expectParses(keyExampleSpec(section, entry), `the example of ${section.title}.${entry.key}`);
      });
    }
  }

  for (const step of STEPS) {
    it(`step ${step.kind}, and each of its arguments`, () => {
      expect(step.example.startsWith('- ')).toBe(true);
      expectParses(stepExampleSpec(step.example), `the example of step ${step.kind}`);
    });
  }

  for (const ref of CRDT_OP_REFS) {
    it(`crdt ${ref.type} ${ref.op}`, () => {
      const spec = expectParses(stepExampleSpec(ref.example), `the example of ${ref.type} ${ref.op}`);
      const step = spec.agents[0].program[2];
      expect(step.kind).toBe('crdt');
    });
  }

  for (const behaviour of BEHAVIOURS) {
    it(`behaviour ${behaviour.name}, and each argument's example`, () => {
      const example = BEHAVIOUR_EXAMPLES[behaviour.name];
      const base = expectParses(behaviourExampleSpec(example), `the example of ${behaviour.name}`);
      expect(base.agents[0].behaviour).toBe(behaviour.name);
      for (const arg of behaviour.args) {
        // The example with this argument set as the reference shows it: the same program when the
        // example already sets it or it is the default (so the default shown is the parser's).
        const line = behaviourArgExample(behaviour.name, arg);
        const document = parseDocument(example.example);
        const args = document.get('args', true) as Node | undefined;
        if (!isMap(args)) throw new Error(`${behaviour.name}'s example has no args mapping`);
        const [key, ...rest] = line.split(': ');
        const value = parseDocument(rest.join(': ')).contents;
        args.set(key, value);
        const edited = behaviourExampleSpec({ ...example, example: document.toString({ flowCollectionPadding: true }).trimEnd() });
        const spec = expectParses(edited, `${behaviour.name} with ${line}`);
        const shown = argDefaultText(arg);
        if (example.example.includes(line) || (shown !== undefined && line === `${arg.name}: ${shown}`)) {
          expect(withoutLines(spec.agents[0].program), `${behaviour.name}: ${line}`).toEqual(withoutLines(base.agents[0].program));
        }
      }
    });
  }

  it('the starter template parses', () => {
    expectParses(STARTER_SPEC, 'the starter template');
  });
});

describe('every default the reference shows is the one the parser fills in', () => {
  for (const section of SECTIONS) {
    for (const entry of section.keys) {
      if (entry.default === undefined || section.id === 'top' || !/^[\w.-]+$/.test(entry.default)) continue;
      it(`${section.title}.${entry.key}: ${entry.default}`, () => {
        const without = expectParses(fillTemplate(section.template, '# nothing'), `${section.title} without ${entry.key}`);
        const withDefault = expectParses(fillTemplate(section.template, `${entry.key}: ${entry.default}`), `${section.title} with ${entry.key}: ${entry.default}`);
        expect(withoutLines(withDefault)).toEqual(withoutLines(without));
      });
    }
  }

  it('top level: name, seed', () => {
    const top = SECTIONS[0];
    const without = expectParses(fillTemplate(top.template, '# nothing'), 'the top level');
    for (const entry of top.keys.filter((key) => key.key === 'name' || key.key === 'seed')) {
      const withDefault = expectParses(fillTemplate(top.template, `${entry.key}: ${entry.default}`), entry.key);
      expect(withoutLines(withDefault)).toEqual(withoutLines(without));
    }
  });

  for (const step of STEPS) {
    for (const arg of step.args) {
      if (arg.default === undefined || step.kind === 'choose') continue;
      it(`step ${step.kind}.${arg.key}: ${arg.default}`, () => {
        const required = step.args.filter((other) => other.required).map((other) => other.example);
        const item = (extra: string[]) => [`- ${step.kind}:`, ...[...required, ...extra].map((line) => `    ${line}`)].join('\n');
        const without = expectParses(stepExampleSpec(item([])), `${step.kind} without ${arg.key}`);
        const withDefault = expectParses(stepExampleSpec(item([`${arg.key}: ${arg.default}`])), `${step.kind} with ${arg.key}: ${arg.default}`);
        expect(withoutLines(withDefault)).toEqual(withoutLines(without));
      });
    }
  }
});
