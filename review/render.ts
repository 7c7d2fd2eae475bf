/** The review as Markdown (a pull-request comment) or JSON. */
import { legendOf } from './mermaid';
import type { Review, ReviewChange, ReviewViolation } from './model';

const ICON: Record<ReviewChange['action'], string> = { create: '🟢 create', update: '🟡 update', replace: '🟠 replace', delete: '🔴 delete' };

/** Text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/&lt;br&gt;/g, '<br>');
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function conflictText(v: ReviewViolation): string {
  if (!v.conflicting) return '';
  const c = v.conflicting;
  const named = `${c.type}${c.name ? ` ${c.name}` : ''}${c.address ? ` (${code(c.address)})` : c.uuid ? ` (${c.uuid})` : ''}`;
  return named;
}

export const STATE_DEPENDENT_RULES =
  'overlaps with IP ranges and subnets already on the server, VLAN/NoVlan/VNI conflicts on clusters, zone checks against existing objects, objects still in use (VMs, allocated addresses), network service provider rules and VM placement';

export function renderMarkdown(review: Review): string {
  const s = review.summary;
  const out: string[] = [];
  const warnings = review.warnings ?? [];
  const verdict =
    review.status === 'violations'
      ? `❌ ${plural(s.violations, 'rule violation')}`
      : review.status === 'policy'
        ? `⛔ blocked by --fail-on ${review.policy.failOn.join(',')}`
        : '✅ no rule violations';
  const warned = warnings.length > 0 ? ` · ⚠️ ${plural(warnings.length, 'rule')} open to the world` : '';
  out.push(`## netforge review: ${verdict}${warned}`);
  out.push('');
  const counts = `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete`;
  const how =
    review.validation.mode === 'server'
      ? `checked by the control server's dry run at ${review.validation.endpoint}`
      : 'stateless rules only (no control server)';
  out.push(`**${cell(review.source)}** · ${counts} · ${how}`);
  out.push('');
  if (!review.validation.stateDependentRulesChecked) {
    out.push('> [!WARNING]');
    out.push(`> The control server at ${review.validation.endpoint} was not reachable (${cell(review.validation.reason ?? 'unknown reason')}).`);
    out.push(`> Only stateless rules were checked: each object's own fields, and the rules between objects among the objects this plan knows.`);
    out.push(`> **State-dependent rules were NOT checked** against the server's topology: ${STATE_DEPENDENT_RULES}.`);
    out.push('');
  }

  if (review.violations.length > 0) {
    out.push(`### Violations (${review.violations.length})`);
    out.push('');
    out.push('| object | attribute | rule | problem | conflicts with |');
    out.push('|---|---|---|---|---|');
    for (const v of review.violations) {
      const what = v.phase === 'delete' ? `${cell(v.object)} ${code(v.address)}<br>(deleting the old one)` : `${cell(v.object)} ${code(v.address)}`;
      out.push(`| ${what} | ${v.attribute ? code(v.attribute) : ''} | ${code(v.code)} | ${cell(v.message)} | ${cell(conflictText(v))} |`);
    }
    out.push('');
  }

  if (review.policy.hits.length > 0) {
    out.push(`### Blocked by policy (--fail-on ${review.policy.failOn.join(',')})`);
    out.push('');
    for (const h of review.policy.hits) out.push(`- ${cell(h)}`);
    out.push('');
  }

  if (warnings.length > 0) {
    // Its own section: the server accepts these, so they are not violations, but a reviewer must see them.
    out.push(`### ⚠️ Open to the world (${warnings.length})`);
    out.push('');
    out.push(`Ingress rules with no remote CIDR or group, or a /0 one: anyone who can route to the members reaches them.${review.policy.failOn.includes('world-open') ? '' : ' `--fail-on world-open` blocks such changes.'}`);
    out.push('');
    for (const w of warnings) out.push(`- ⚠️ ${code(w.address)}: ${cell(w.message)}`);
    out.push('');
  }

  const dangerous = review.changes.filter((c) => c.action === 'replace' || c.action === 'delete');
  if (dangerous.length > 0) {
    out.push('### Replacements and deletions');
    out.push('');
    for (const c of dangerous) {
      const forced = c.forcedBy.length > 0 ? `, forced by ${c.forcedBy.map(code).join(', ')}` : '';
      out.push(`- **${c.action === 'replace' ? 'replace' : 'delete'}** ${code(c.address)}${forced}: ${cell(c.summary)}`);
    }
    out.push('');
  }

  out.push(`### Changes (${review.changes.length})`);
  out.push('');
  if (review.changes.length === 0) out.push('No changes to netforge objects.');
  else {
    out.push('| | resource | what it means |');
    out.push('|---|---|---|');
    for (const c of review.changes) {
      const flags = warnings.filter((w) => w.address === c.address).map((w) => `⚠️ ${w.code}`);
      const extra = [...c.details.map((d) => `• ${d}`), ...c.notes.map((n) => `ⓘ ${n}`), ...[...new Set(c.violations.map((v) => v.code))].map((code) => `❌ ${code}`), ...flags];
      out.push(`| ${ICON[c.action]} | ${code(c.address)} | ${cell([c.summary, ...extra].join('\n'))} |`);
    }
  }
  out.push('');
  out.push('### Topology after this change');
  out.push('');
  out.push('```mermaid');
  out.push(review.mermaid.trimEnd());
  out.push('```');
  out.push('');
  out.push(`<sub>${legendOf(review.mermaid)}. Terraform ${cell(review.terraformVersion)}.</sub>`);
  out.push('');
  return out.join('\n');
}

export function renderJson(review: Review): string {
  return JSON.stringify({ version: 1, ...review }, null, 2) + '\n';
}

/** The report when the change could not even be planned. */
export function renderPlanFailure(step: string, output: string, format: 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify({ version: 1, status: 'plan-failed', step, output, exitCode: 1 }, null, 2) + '\n';
  const fence = output.includes('```') ? '~~~~' : '```';
  return [
    `## netforge review: ❌ \`${step}\` failed`,
    '',
    'The change could not be planned, so nothing was applied or reviewed further. Rule violations the constructs (at synth) or the provider (at plan) find stop here; their messages name the object and the attribute:',
    '',
    `${fence}text`,
    output.split('\n').slice(-200).join('\n'),
    fence,
    '',
  ].join('\n');
}
