/**
 * Offline checks of alerting rules (decision 0082): PromQL expressions parsed with
 * `@prometheus-io/lezer-promql` (the grammar Prometheus' own web UI uses), `for` durations, label
 * names and the Go-template syntax of labels and annotations. These are the checks that run here
 * without a Go toolchain; promtool's rule unit tests cannot (no Go binary), see the decision for
 * what a passing check does and does not prove.
 * @see https://github.com/prometheus/prometheus/tree/main/web/ui/module/lezer-promql
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
import { parser } from '@prometheus-io/lezer-promql';

/** One problem of an expression or template: what, and where (0-based character offset). */
export interface PromqlProblem {
  /** 0-based offset in the checked text. */
  readonly position: number;
  readonly message: string;
}

/**
 * PromQL functions whose first argument (`predict_linear`, `quantile_over_time`: the argument
 * named) must be a range vector (`x[5m]` or a subquery). The lezer grammar accepts any expression
 * there; Prometheus refuses the rule when it loads it ("expected type range vector").
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 */
const RANGE_VECTOR_ARGUMENT: Readonly<Record<string, number>> = {
  rate: 0,
  irate: 0,
  increase: 0,
  delta: 0,
  idelta: 0,
  deriv: 0,
  resets: 0,
  changes: 0,
  predict_linear: 0,
  avg_over_time: 0,
  min_over_time: 0,
  max_over_time: 0,
  sum_over_time: 0,
  count_over_time: 0,
  stddev_over_time: 0,
  stdvar_over_time: 0,
  last_over_time: 0,
  present_over_time: 0,
  absent_over_time: 0,
  mad_over_time: 0,
  quantile_over_time: 1,
};

/** The part of a lezer syntax node read here (structural: @lezer/common ships separate CJS and ESM typings). */
interface PromqlNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly type: { readonly isError: boolean };
  readonly firstChild: PromqlNode | null;
  readonly nextSibling: PromqlNode | null;
}

/** Argument nodes of a FunctionCallBody (skipping punctuation and comments). */
function argumentsOf(body: PromqlNode): PromqlNode[] {
  const args: PromqlNode[] = [];
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (!c.type.isError && c.name !== 'LineComment') args.push(c);
  }
  return args;
}

/**
 * Every syntax error of `expr` (the parser's error nodes, with their position), plus range-vector
 * arguments the grammar cannot check. Empty when the expression parses.
 */
export function promqlProblems(expr: string): PromqlProblem[] {
  const problems: PromqlProblem[] = [];
  if (expr.trim() === '') return [{ position: 0, message: 'the expression is empty' }];
  const tree = parser.parse(expr);
  const near = (pos: number): string => JSON.stringify(expr.slice(Math.max(0, pos - 10), pos + 10));
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        problems.push({ position: ref.from, message: `syntax error at position ${ref.from} (near ${near(ref.from)})` });
        return false;
      }
      if (ref.name === 'FunctionCall') {
        const node = ref.node;
        const id = node.getChild('FunctionIdentifier');
        const body = node.getChild('FunctionCallBody');
        if (!id || !body) return undefined;
        const fn = expr.slice(id.from, id.to);
        const index = RANGE_VECTOR_ARGUMENT[fn];
        if (index === undefined) return undefined;
        const arg = argumentsOf(body)[index];
        if (arg && arg.name !== 'MatrixSelector' && arg.name !== 'SubqueryExpr') {
          problems.push({ position: arg.from, message: `${fn}() needs a range vector (e.g. x[5m]) as argument ${index + 1}, got ${JSON.stringify(expr.slice(arg.from, arg.to))} at position ${arg.from}` });
        }
      }
      return undefined;
    },
  });
  // One error often yields several adjacent error nodes: report the first of each run.
  return problems.filter((p, i) => i === 0 || p.position !== problems[i - 1].position + 1 || !p.message.startsWith('syntax'));
}

/** Classic Prometheus label names (what every Prometheus and Alertmanager version accepts). */
const CLASSIC_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Label names Prometheus reserves for itself. */
const RESERVED_LABEL_PREFIX = '__';

/**
 * Why `name` cannot be a label name of an alerting rule, or undefined. Classic names are always
 * fine; `allowedUtf8` lists the non-classic names InfraFlux itself uses (the owner label
 * `infraflux.io/owner`, valid under Prometheus 3's UTF-8 name validation, decision 0083).
 */
export function labelNameProblem(name: string, allowedUtf8: readonly string[] = []): string | undefined {
  if (allowedUtf8.includes(name)) return undefined;
  if (name.startsWith(RESERVED_LABEL_PREFIX)) return `label "${name}" starts with "__", which Prometheus reserves`;
  if (!CLASSIC_LABEL_NAME.test(name)) return `label "${name}" is not a label name; use letters, digits and '_', not starting with a digit`;
  return undefined;
}

/** Variables Prometheus gives alert label and annotation templates. */
const TEMPLATE_VARIABLES = new Set(['$labels', '$value', '$externalLabels', '$externalURL', '$']);

/**
 * Problems of one label or annotation value as a Prometheus (Go text/template) template: every
 * `{{` closed by `}}`, no empty action, variables only those Prometheus defines, and `$labels.x`
 * with a classic label name (others need `index $labels "a.b"`). It does not execute the template.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/template_reference/
 */
export function templateProblems(text: string): PromqlProblem[] {
  const problems: PromqlProblem[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const stray = text.indexOf('}}', i);
    if (stray !== -1 && (open === -1 || stray < open)) {
      problems.push({ position: stray, message: `"}}" at position ${stray} closes no "{{"` });
      i = stray + 2;
      continue;
    }
    if (open === -1) break;
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      problems.push({ position: open, message: `"{{" at position ${open} is never closed with "}}"` });
      break;
    }
    const action = text.slice(open + 2, close).replace(/^-\s|\s-$/g, '').trim();
    if (action === '') problems.push({ position: open, message: `empty template action at position ${open}` });
    if (action.includes('{{')) problems.push({ position: open, message: `"{{" at position ${open} is not closed before the next "{{"` });
    // Variables outside string literals.
    const code = action.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
    for (const m of code.matchAll(/\$[A-Za-z_]*(\.[A-Za-z0-9_]*)?/g)) {
      const variable = m[0].split('.')[0];
      if (!TEMPLATE_VARIABLES.has(variable)) {
        problems.push({ position: open, message: `template at position ${open} uses ${variable}; Prometheus defines $labels, $value, $externalLabels and $externalURL` });
      } else if (variable === '$labels' && m[1] !== undefined && !CLASSIC_LABEL_NAME.test(m[1].slice(1))) {
        problems.push({ position: open, message: `template at position ${open} reads $labels${m[1]}, not a label name` });
      }
    }
    i = close + 2;
  }
  return problems;
}
