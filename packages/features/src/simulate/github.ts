/**
 * The engineering organisation's GitHub audit log: developers (the simulated engineers and admins) clone,
 * push, open and review pull requests; pushes and merges run workflows (`workflows.created_workflow_run`,
 * `workflows.prepared_workflow_job` with the secrets passed to the job, `workflows.completed_workflow_run`,
 * the Actions bot's `git.clone`); admins manage secrets, branch protection, deploy keys and self-hosted
 * runners; a deploy machine user clones on a schedule and Dependabot opens pull requests. Plus the five
 * CI/CD scenarios. Action and field names follow GitHub's audit log (see `formatGithubAudit`).
 *
 * @module
 */
import { Rng } from '@nexus/ebm-core';
import { DAY, HOUR, ipFor, type Label, type MutableEvent, NORMAL, pick, pickZipf } from './common.js';
import type { Presence } from './people.js';
import type { SimGithubFields, SimUser } from './types.js';

/** The simulated organisation's name. */
export const GITHUB_ORG = 'nexus-sim';

const SQUAD_REPOS: readonly (readonly string[])[] = [
  ['api-gateway', 'auth-service', 'billing-service', 'payments', 'notifications'],
  ['web-app', 'frontend-kit', 'design-system', 'mobile-app', 'sdk-js'],
  ['data-pipeline', 'analytics', 'ml-models', 'search', 'sdk-python'],
  ['monitoring', 'load-tests', 'ops-runbooks', 'helm-charts', 'status-page'],
];
const INFRA_REPOS = ['infra-terraform', 'deploy-scripts', 'secrets-rotation', 'k8s-manifests'];
const SHARED_REPOS = ['docs', 'ci-templates'];
/** Every repository (short names). */
export const GITHUB_REPOS: readonly string[] = [...SQUAD_REPOS.flat(), ...INFRA_REPOS, ...SHARED_REPOS];
/** The organisation's Actions secrets. */
const ORG_SECRETS = [
  'DEPLOY_TOKEN',
  'AWS_ROLE_ARN',
  'NPM_TOKEN',
  'PYPI_TOKEN',
  'DOCKERHUB_TOKEN',
  'SLACK_WEBHOOK',
  'SENTRY_DSN',
  'GCP_SA_KEY',
  'TF_API_TOKEN',
  'SIGNING_KEY',
  'DB_PASSWORD',
  'STRIPE_KEY',
];
const DEPLOY_SECRETS = ['DEPLOY_TOKEN', 'AWS_ROLE_ARN'];
const BUILD_SECRETS: Readonly<Record<string, readonly string[]>> = {
  'sdk-js': ['NPM_TOKEN'],
  'frontend-kit': ['NPM_TOKEN'],
  'sdk-python': ['PYPI_TOKEN'],
  'infra-terraform': ['TF_API_TOKEN'],
};
const COUNTRY_OF_OFFSET: Readonly<Record<string, string>> = {
  '-8': 'US',
  '-5': 'US',
  '0': 'GB',
  '1': 'DE',
  '5.5': 'IN',
  '8': 'SG',
  '9': 'JP',
};
const BROWSERS = [
  (v: number) =>
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
  (v: number) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
  (v: number) => `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
];
const GIT_AGENTS = ['git/2.43.0', 'git/2.39.3 (Apple Git-145)', 'git/2.34.1', 'git/2.44.0.windows.1'];
const TOKEN_TYPES = ['Personal access token (classic)', 'Fine-grained personal access token'];
const ACTIONS_BOT = 'github-actions[bot]';
const DEPLOY_BOT = 'deploy-bot';
const DEPENDABOT = 'dependabot[bot]';

/** A developer's GitHub habits. */
export interface Dev {
  readonly user: SimUser;
  readonly login: string;
  readonly admin: boolean;
  readonly repos: readonly string[];
  readonly transport: 'ssh' | 'http';
  readonly token: string;
  readonly tokenType: string;
  readonly browser: number;
  readonly browserVersion: number;
  /** Day from which the browser is one version newer (an update), or Infinity. */
  readonly upgradeDay: number;
  readonly gitAgent: string;
  readonly ip: string;
}

/** The organisation: its developers and the addresses of its offices, runners and deploy machine. */
export interface GithubOrg {
  readonly devs: readonly Dev[];
  readonly offices: Readonly<Record<string, string>>;
  readonly runnerIp: string;
  readonly deployIp: string;
  readonly repoIds: ReadonlyMap<string, number>;
}

function hex(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[r.int(16)];
  return s;
}

/** A hashed token as GitHub writes it (base64 of a SHA-256). */
function hashedToken(r: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < 43; i++) s += alphabet[r.int(64)];
  return `${s}=`;
}

/** The country of a UTC offset (the simulator's offices and trip destinations). */
export function countryOf(utcOffset: number): string {
  return COUNTRY_OF_OFFSET[String(utcOffset)] ?? 'US';
}

/** The organisation of the simulated engineers and admins (its own generator). */
export function makeGithubOrg(users: readonly SimUser[], seed: number, days: number): GithubOrg {
  const r = new Rng(`github:${seed}`);
  const offices: Record<string, string> = {};
  for (const c of ['US', 'GB', 'DE', 'IN', 'SG', 'JP']) offices[c] = ipFor(r, false);
  const devs: Dev[] = [];
  let squad = 0;
  for (const u of users) {
    if (u.role !== 'engineer' && u.role !== 'admin') continue;
    const admin = u.role === 'admin';
    const own = admin ? INFRA_REPOS : (SQUAD_REPOS[squad++ % SQUAD_REPOS.length] as readonly string[]);
    const repos = [...r.shuffle([...own]).slice(0, 3 + r.int(own.length - 2)), pick(r, SHARED_REPOS)];
    const transport = r.uniform() < 0.6 ? 'ssh' : 'http';
    const remote = r.uniform() < 0.25;
    devs.push({
      user: u,
      login: u.name.toLowerCase(),
      admin,
      repos,
      transport,
      token: hashedToken(r),
      tokenType: pick(r, TOKEN_TYPES),
      browser: r.int(BROWSERS.length),
      browserVersion: 120 + r.int(3),
      upgradeDay: r.uniform() < 0.3 ? r.int(days) : Number.POSITIVE_INFINITY,
      gitAgent: pick(r, GIT_AGENTS),
      ip: remote ? u.homeIp : (offices[countryOf(u.utcOffset)] as string),
    });
  }
  const repoIds = new Map(GITHUB_REPOS.map((name, i) => [name, 310_000_000 + i * 7919]));
  return { devs, offices, runnerIp: ipFor(r, false), deployIp: ipFor(r, false), repoIds };
}

interface Ctx {
  readonly out: MutableEvent[];
  readonly label: Label;
}

function fields(f: Partial<SimGithubFields> & { action: string }): SimGithubFields {
  return {
    repo: '',
    country: 'US',
    userAgent: '',
    operationType: 'access',
    token: '',
    accessType: '',
    transport: '',
    branch: '',
    job: '',
    secrets: [],
    runner: '',
    ...f,
    ...(f.repo !== undefined && f.repo !== '' ? { repo: `${GITHUB_ORG}/${f.repo}` } : {}),
  };
}

function emit(ctx: Ctx, time: number, actor: string, ip: string, f: SimGithubFields): void {
  ctx.out.push({
    time: Math.floor(time),
    channel: 'github',
    user: actor,
    dstUser: actor,
    src: 'EXT',
    dst: f.repo === '' ? GITHUB_ORG : f.repo,
    authType: f.accessType === '' ? '?' : f.accessType,
    logonType: '?',
    orientation: f.action,
    success: true,
    srcIp: ip,
    privileged: false,
    github: f,
    scenario: ctx.label.scenario,
    incident: ctx.label.incident,
  });
}

/** Where and how a developer acts today. */
interface Seat {
  readonly ip: string;
  readonly country: string;
  readonly web: string;
}

function seatOf(dev: Dev, p: Presence, d: number): Seat {
  const v = dev.browserVersion + (d >= dev.upgradeDay ? 1 : 0);
  const web = (BROWSERS[dev.browser] as (v: number) => string)(v);
  if (p.remoteIp !== undefined) return { ip: p.remoteIp, country: countryOf(p.utcOffset), web };
  return { ip: dev.ip, country: countryOf(dev.user.utcOffset), web };
}

/** A git operation of `dev` on `repo` (their transport, and their token over HTTPS). */
function git(
  ctx: Ctx,
  t: number,
  dev: Dev,
  seat: Seat,
  action: 'git.clone' | 'git.push',
  repo: string,
  agent = dev.gitAgent,
): void {
  const http = dev.transport === 'http';
  emit(
    ctx,
    t,
    dev.login,
    seat.ip,
    fields({
      action,
      repo,
      country: seat.country,
      userAgent: agent,
      operationType: action === 'git.push' ? 'modify' : 'access',
      token: http ? dev.token : '',
      accessType: http ? dev.tokenType : '',
      transport: dev.transport,
    }),
  );
}

/** A workflow run triggered by `dev` on `repo`/`branch`: created, its jobs prepared, the bot's checkout, completed. */
function workflowRun(
  ctx: Ctx,
  r: Rng,
  t: number,
  dev: Dev,
  seat: Seat,
  repo: string,
  branch: string,
  jobs: readonly { name: string; secrets: readonly string[]; runner?: string }[],
): void {
  const common = { repo, country: seat.country, userAgent: seat.web, branch };
  emit(
    ctx,
    t,
    dev.login,
    seat.ip,
    fields({ action: 'workflows.created_workflow_run', operationType: 'create', ...common }),
  );
  let s = t + 3 + r.uniform() * 20;
  for (const job of jobs) {
    emit(
      ctx,
      s,
      dev.login,
      seat.ip,
      fields({
        action: 'workflows.prepared_workflow_job',
        operationType: 'create',
        ...common,
        job: job.name,
        secrets: job.secrets,
        runner: job.runner ?? '',
      }),
    );
    s += 2 + r.uniform() * 10;
  }
  // The Actions bot's checkout is routine whoever triggered the run: it is labelled normal.
  emit(
    { out: ctx.out, label: NORMAL },
    s + 1,
    ACTIONS_BOT,
    '',
    fields({ action: 'git.clone', repo, userAgent: 'git/2.43.0', transport: 'http' }),
  );
  emit(
    ctx,
    s + 60 + r.uniform() * 600,
    dev.login,
    seat.ip,
    fields({ action: 'workflows.completed_workflow_run', operationType: 'modify', ...common }),
  );
}

/** A developer's working day on GitHub (own generator per developer and day). */
export function simulateGithubDay(
  org: GithubOrg,
  dev: Dev,
  p: Presence,
  d: number,
  seed: number,
  out: MutableEvent[],
): void {
  const r = new Rng(`github-day:${seed}:${dev.login}:${d}`);
  const ctx: Ctx = { out, label: NORMAL };
  const seat = seatOf(dev, p, d);
  const span = Math.max(600, p.leave - p.arrival);
  const at = (): number => p.arrival + r.uniform() * span;
  const clones = p.brief ? 1 + r.int(2) : 2 + r.int(7);
  for (let k = 0; k < clones; k++) git(ctx, at(), dev, seat, 'git.clone', pickZipf(r, dev.repos));
  const pushes = p.brief ? r.int(2) : r.int(5);
  const branch = `feature/${dev.login}-${d}`;
  for (let k = 0; k < pushes; k++) {
    const t = at();
    const repo = pickZipf(r, dev.repos);
    git(ctx, t, dev, seat, 'git.push', repo);
    if (r.uniform() < 0.04) {
      // A push to a protected branch, turned down.
      emit(
        ctx,
        t + 1,
        dev.login,
        seat.ip,
        fields({
          action: 'protected_branch.rejected_ref_update',
          repo,
          country: seat.country,
          userAgent: dev.gitAgent,
          operationType: 'modify',
        }),
      );
      continue;
    }
    workflowRun(ctx, r, t + 5 + r.uniform() * 15, dev, seat, repo, branch, [
      { name: 'build', secrets: BUILD_SECRETS[repo] ?? [] },
      ...(r.uniform() < 0.5 ? [{ name: 'test', secrets: [] }] : []),
    ]);
  }
  if (p.brief) return;
  const web = { country: seat.country, userAgent: seat.web };
  if (r.uniform() < 0.6) {
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({
        action: 'pull_request.create',
        repo: pickZipf(r, dev.repos),
        operationType: 'create',
        ...web,
      }),
    );
  }
  const reviews = r.int(3);
  for (let k = 0; k < reviews; k++) {
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({
        action: 'pull_request_review.submit',
        repo: pick(r, dev.repos),
        operationType: 'create',
        ...web,
      }),
    );
  }
  if (r.uniform() < 0.4) {
    const t = at();
    const repo = pickZipf(r, dev.repos);
    emit(
      ctx,
      t,
      dev.login,
      seat.ip,
      fields({ action: 'pull_request.merge', repo, operationType: 'modify', ...web }),
    );
    workflowRun(ctx, r, t + 10, dev, seat, repo, 'main', [
      { name: 'build', secrets: BUILD_SECRETS[repo] ?? [] },
      { name: 'deploy', secrets: DEPLOY_SECRETS },
    ]);
  }
  if (r.uniform() < 0.03) {
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({ action: 'repo.download_zip', repo: pick(r, dev.repos), ...web }),
    );
  }
  if (!dev.admin) return;
  // Administration, now and then.
  const infra = (): string => pick(r, INFRA_REPOS);
  if (r.uniform() < 0.15)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({ action: 'repo.update_actions_secret', repo: infra(), operationType: 'modify', ...web }),
    );
  if (r.uniform() < 0.06)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({
        action: pick(r, [
          'protected_branch.update_required_status_checks_enforcement_level',
          'protected_branch.update_pull_request_reviews_enforcement_level',
        ]),
        repo: pick(r, GITHUB_REPOS),
        operationType: 'modify',
        ...web,
      }),
    );
  if (r.uniform() < 0.02)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({
        action: 'protected_branch.update_allow_force_pushes_enforcement_level',
        repo: infra(),
        operationType: 'modify',
        ...web,
      }),
    );
  if (r.uniform() < 0.01)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({
        action: 'protected_branch.destroy',
        repo: pick(r, GITHUB_REPOS),
        operationType: 'remove',
        ...web,
      }),
    );
  if (r.uniform() < 0.03)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({ action: 'public_key.create', repo: infra(), operationType: 'create', ...web }),
    );
  if (r.uniform() < 0.05)
    emit(
      ctx,
      at(),
      dev.login,
      seat.ip,
      fields({ action: 'team.add_member', operationType: 'modify', ...web }),
    );
  if (r.uniform() < 0.04) {
    // A runner host re-registered after maintenance: from the runners' address.
    emit(
      ctx,
      at(),
      dev.login,
      org.runnerIp,
      fields({
        action: 'org.register_self_hosted_runner',
        country: 'US',
        userAgent: 'GitHubActionsRunner-linux-x64/2.311.0',
        operationType: 'create',
        runner: `runner-0${1 + r.int(4)}`,
      }),
    );
  }
}

/** The organisation's machines: the deploy user's scheduled clones and Dependabot's pull requests. */
export function simulateGithubBots(
  org: GithubOrg,
  dayStart: number,
  d: number,
  seed: number,
  out: MutableEvent[],
): void {
  const r = new Rng(`github-bots:${seed}:${d}`);
  const ctx: Ctx = { out, label: NORMAL };
  for (let h = 0; h < 24; h += 2) {
    const t = dayStart + h * HOUR + r.uniform() * 300;
    for (const repo of ['deploy-scripts', 'infra-terraform']) {
      emit(
        ctx,
        t,
        DEPLOY_BOT,
        org.deployIp,
        fields({
          action: 'git.clone',
          repo,
          country: 'US',
          userAgent: 'AWS CodePipeline',
          token: 'deploy-bot-token',
          accessType: 'Personal access token (classic)',
          transport: 'http',
        }),
      );
    }
  }
  const prs = 2 + r.int(4);
  for (let k = 0; k < prs; k++) {
    emit(
      ctx,
      dayStart + r.uniform() * DAY,
      DEPENDABOT,
      '',
      fields({
        action: 'pull_request.create',
        repo: pick(r, GITHUB_REPOS),
        operationType: 'create',
        userAgent: 'dependabot-core',
      }),
    );
  }
}

const TOOLS = ['python-requests/2.31.0', 'curl/8.5.0', 'Go-http-client/1.1', 'PyGithub/Python'];
const FOREIGN = ['NL', 'RU', 'BR', 'VN', 'RO', 'UA'];

/** Injects one CI/CD scenario on the day at `dayStart` (its own generator). */
export function injectGithubScenario(
  org: GithubOrg,
  label: Label,
  dayStart: number,
  seed: number,
  out: MutableEvent[],
): void {
  const r = new Rng(`github-scenario:${seed}:${label.incident}`);
  const ctx: Ctx = { out, label };
  const devs = org.devs;
  if (devs.length === 0) return;
  const home = (dev: Dev): Seat => ({
    ip: dev.ip,
    country: countryOf(dev.user.utcOffset),
    web: (BROWSERS[dev.browser] as (v: number) => string)(dev.browserVersion),
  });
  const foreign = (): Seat => ({ ip: ipFor(r, false), country: pick(r, FOREIGN), web: pick(r, TOOLS) });
  const elsewhere = (dev: Dev, n: number): string[] =>
    r.shuffle(GITHUB_REPOS.filter((x) => !dev.repos.includes(x))).slice(0, n);
  let t = dayStart + r.uniform() * (DAY - 2 * HOUR);
  switch (label.scenario) {
    case 'token_new_address': {
      // A developer's token used from a new address with a scripting tool: it lists and fetches what the
      // token reaches, the developer's repositories first.
      const http = devs.filter((x) => x.transport === 'http');
      const dev = pick(r, http.length > 0 ? http : devs);
      const seat = foreign();
      const repos = [...dev.repos, ...elsewhere(dev, 3 + r.int(5))];
      const n = 6 + r.int(15);
      for (let k = 0; k < n; k++) {
        t += 20 + r.uniform() * 150;
        const repo = pick(r, repos);
        const action = r.uniform() < 0.25 ? 'repo.download_zip' : 'git.clone';
        emit(
          ctx,
          t,
          dev.login,
          seat.ip,
          fields({
            action,
            repo,
            country: seat.country,
            userAgent: seat.web,
            token: dev.token,
            accessType: dev.tokenType,
            transport: action === 'git.clone' ? 'http' : '',
          }),
        );
      }
      return;
    }
    case 'workflow_secrets': {
      // A workflow changed on a new branch of a deployment repository the developer does not work on, run
      // at once: its jobs are handed every secret of the organisation.
      const dev = pick(r, devs.filter((x) => !x.admin).length > 0 ? devs.filter((x) => !x.admin) : devs);
      const seat = home(dev);
      const repo = pick(
        r,
        INFRA_REPOS.filter((x) => !dev.repos.includes(x)),
      );
      const branch = `ci-debug-${hex(r, 6)}`;
      git(ctx, t, dev, seat, 'git.push', repo);
      const secrets = r.shuffle([...ORG_SECRETS]).slice(0, 6 + r.int(ORG_SECRETS.length - 5));
      const jobs = Array.from({ length: 1 + r.int(2) }, () => ({ name: 'debug', secrets }));
      workflowRun(ctx, r, t + 8 + r.uniform() * 20, dev, seat, repo, branch, jobs);
      return;
    }
    case 'mass_clone': {
      // Clones and archive downloads of most of the organisation's repositories within minutes.
      const dev = pick(r, devs);
      const seat = r.uniform() < 0.5 ? home(dev) : foreign();
      const repos = r.shuffle([...GITHUB_REPOS]).slice(0, 15 + r.int(GITHUB_REPOS.length - 14));
      for (const repo of repos) {
        const times = 1 + r.int(2);
        for (let k = 0; k < times; k++) {
          t += 5 + r.uniform() * 40;
          if (r.uniform() < 0.3) {
            emit(
              ctx,
              t,
              dev.login,
              seat.ip,
              fields({ action: 'repo.download_zip', repo, country: seat.country, userAgent: seat.web }),
            );
          } else git(ctx, t, dev, seat, 'git.clone', repo, seat.ip === dev.ip ? dev.gitAgent : 'git/2.43.0');
        }
      }
      return;
    }
    case 'protection_force_push': {
      // Branch protection switched off on a repository the actor does not work on, a force push, and the
      // protection back on.
      const dev = pick(r, devs.filter((x) => x.admin).length > 0 ? devs.filter((x) => x.admin) : devs);
      const seat = home(dev);
      const repo = pick(r, elsewhere(dev, 6));
      const destroy = r.uniform() < 0.5;
      const off = destroy
        ? 'protected_branch.destroy'
        : 'protected_branch.update_allow_force_pushes_enforcement_level';
      const on = destroy ? 'protected_branch.create' : off;
      const web = { repo, country: seat.country, userAgent: seat.web };
      emit(
        ctx,
        t,
        dev.login,
        seat.ip,
        fields({ action: off, operationType: destroy ? 'remove' : 'modify', ...web }),
      );
      const pushes = 1 + r.int(3);
      for (let k = 0; k < pushes; k++)
        git(ctx, t + 60 + k * (20 + r.uniform() * 60), dev, seat, 'git.push', repo);
      emit(
        ctx,
        t + 300 + r.uniform() * 900,
        dev.login,
        seat.ip,
        fields({ action: on, operationType: destroy ? 'create' : 'modify', ...web }),
      );
      return;
    }
    case 'rogue_runner': {
      // A developer registers a self-hosted runner on a repository from a machine never seen before, and
      // jobs start on it.
      const dev = pick(r, devs.filter((x) => !x.admin).length > 0 ? devs.filter((x) => !x.admin) : devs);
      const repo = pick(r, dev.repos);
      const host = { ip: ipFor(r, false), country: pick(r, FOREIGN) };
      const runner = `ip-10-0-${r.int(256)}-${r.int(256)}`;
      emit(
        ctx,
        t,
        dev.login,
        host.ip,
        fields({
          action: 'repo.register_self_hosted_runner',
          repo,
          country: host.country,
          userAgent: 'GitHubActionsRunner-linux-x64/2.311.0',
          operationType: 'create',
          runner,
        }),
      );
      const seat = home(dev);
      const jobs = 1 + r.int(3);
      for (let k = 0; k < jobs; k++) {
        t += 120 + r.uniform() * 600;
        emit(
          ctx,
          t,
          dev.login,
          seat.ip,
          fields({
            action: 'workflows.prepared_workflow_job',
            repo,
            country: seat.country,
            userAgent: seat.web,
            operationType: 'create',
            branch: 'main',
            secrets: BUILD_SECRETS[repo] ?? [],
            runner,
          }),
        );
      }
      return;
    }
    default:
      return;
  }
}
