/**
 * The API report: one committed file per package entry point (`packages/NAME/api/ENTRY.api.md`) listing
 * every exported name with its declaration — functions and methods with their signatures, classes with
 * their own public and protected members, interfaces and type aliases as written (comments removed),
 * constants with their types. Built with the TypeScript compiler API on the sources (the `@nexus/source`
 * condition), so it needs no build. `pnpm api:check` (and the test beside this file, run by `pnpm test`)
 * fails on any difference with a diff; `pnpm api:update` rewrites the reports.
 *
 * usage: tsx scripts/apiReport.ts check|update
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One entry point of one package: its import specifier, source file and report file. */
export interface ApiEntry {
  readonly specifier: string;
  readonly source: string;
  readonly report: string;
}

interface PackageJson {
  name: string;
  exports?: Record<string, unknown>;
}

/** Every entry point of every package, from the `exports` maps (the `@nexus/source` condition). */
export function apiEntries(): ApiEntry[] {
  const out: ApiEntry[] = [];
  for (const dir of readdirSync(join(ROOT, 'packages')).sort()) {
    const pj = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8')) as PackageJson;
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      if (typeof target !== 'object' || target === null) continue;
      const src = (target as Record<string, unknown>)['@nexus/source'];
      if (typeof src !== 'string') continue;
      const entryName = sub === '.' ? 'index' : sub.slice(2).replaceAll('/', '-');
      out.push({
        specifier: sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`,
        source: join(ROOT, 'packages', dir, src),
        report: join(ROOT, 'packages', dir, 'api', `${entryName}.api.md`),
      });
    }
  }
  return out;
}

const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType |
  ts.TypeFormatFlags.WriteArrayAsGenericType;

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** A declaration or type as one line: comments removed, whitespace collapsed (stable against reformatting). */
function printNode(node: ts.Node): string {
  return printer
    .printNode(ts.EmitHint.Unspecified, node, node.getSourceFile())
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function hasModifier(decl: ts.Declaration, flag: ts.ModifierFlags): boolean {
  return (ts.getCombinedModifierFlags(decl) & flag) !== 0;
}

function typeParams(decl: ts.Node): string {
  const tps = (decl as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters;
  return tps === undefined || tps.length === 0 ? '' : `<${tps.map(printNode).join(', ')}>`;
}

function heritage(decl: ts.ClassDeclaration | ts.InterfaceDeclaration): string {
  return (decl.heritageClauses ?? []).map((h) => ` ${printNode(h).trim()}`).join('');
}

/** A class's own public and protected members (inherited ones are in the base class's entry). */
function classMembers(checker: ts.TypeChecker, decl: ts.ClassDeclaration): string[] {
  const lines: string[] = [];
  for (const m of decl.members) {
    if (ts.isClassStaticBlockDeclaration(m) || ts.isSemicolonClassElement(m)) continue;
    const flags = ts.getCombinedModifierFlags(m as ts.Declaration);
    if ((flags & ts.ModifierFlags.Private) !== 0) continue;
    if (m.name !== undefined && ts.isPrivateIdentifier(m.name)) continue;
    const mods = [
      (flags & ts.ModifierFlags.Protected) !== 0 ? 'protected ' : '',
      (flags & ts.ModifierFlags.Static) !== 0 ? 'static ' : '',
      (flags & ts.ModifierFlags.Abstract) !== 0 ? 'abstract ' : '',
      (flags & ts.ModifierFlags.Readonly) !== 0 ? 'readonly ' : '',
    ].join('');
    if (ts.isConstructorDeclaration(m)) {
      const sig = checker.getSignatureFromDeclaration(m);
      if (sig !== undefined) lines.push(`  ${mods}constructor${signature(checker, sig, false)};`);
      continue;
    }
    const name = m.name === undefined ? '' : m.name.getText();
    if (ts.isMethodDeclaration(m)) {
      // overloads: print each declaration with a signature once (the implementation only when alone)
      const sig = checker.getSignatureFromDeclaration(m);
      const overloads = decl.members.filter(
        (o) => ts.isMethodDeclaration(o) && o.name.getText() === name && o.body === undefined,
      );
      if (m.body !== undefined && overloads.length > 0) continue;
      if (sig !== undefined)
        lines.push(`  ${mods}${name}${m.questionToken ? '?' : ''}${signature(checker, sig)};`);
    } else if (ts.isGetAccessorDeclaration(m)) {
      const setter = decl.members.some((o) => ts.isSetAccessorDeclaration(o) && o.name.getText() === name);
      const t = checker.getTypeAtLocation(m);
      lines.push(`  ${mods}${setter ? '' : 'readonly '}${name}: ${checker.typeToString(t, m, FLAGS)};`);
    } else if (ts.isSetAccessorDeclaration(m)) {
      const getter = decl.members.some((o) => ts.isGetAccessorDeclaration(o) && o.name.getText() === name);
      if (!getter) lines.push(`  ${mods}set ${name}(${m.parameters.map(printNode).join(', ')});`);
    } else if (ts.isPropertyDeclaration(m)) {
      const t = checker.getTypeAtLocation(m);
      lines.push(`  ${mods}${name}${m.questionToken ? '?' : ''}: ${checker.typeToString(t, m, FLAGS)};`);
    } else if (ts.isIndexSignatureDeclaration(m)) {
      lines.push(`  ${printNode(m)}`);
    }
  }
  return lines;
}

function signature(checker: ts.TypeChecker, sig: ts.Signature, withReturn = true): string {
  const decl = sig.getDeclaration();
  const tps = decl === undefined ? '' : typeParams(decl);
  const params = sig.parameters.map((p) => {
    const pd = p.valueDeclaration as ts.ParameterDeclaration | undefined;
    const rest = pd?.dotDotDotToken !== undefined ? '...' : '';
    const optional =
      pd !== undefined && (pd.questionToken !== undefined || pd.initializer !== undefined) ? '?' : '';
    const t =
      pd?.type !== undefined
        ? printNode(pd.type)
        : checker.typeToString(checker.getTypeOfSymbol(p), decl, FLAGS);
    return `${rest}${p.getName()}${optional}: ${t}`;
  });
  if (!withReturn) return `${tps}(${params.join(', ')})`;
  const ret =
    decl !== undefined && 'type' in decl && decl.type !== undefined
      ? printNode(decl.type as ts.TypeNode)
      : checker.typeToString(sig.getReturnType(), decl, FLAGS);
  return `${tps}(${params.join(', ')}): ${ret}`;
}

function describe(checker: ts.TypeChecker, name: string, symbol: ts.Symbol): string[] {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const out: string[] = [];
  for (const decl of target.declarations ?? []) {
    if (ts.isFunctionDeclaration(decl)) {
      if (
        decl.body !== undefined &&
        (target.declarations ?? []).some((d) => ts.isFunctionDeclaration(d) && d.body === undefined)
      )
        continue;
      const sig = checker.getSignatureFromDeclaration(decl);
      if (sig !== undefined) out.push(`function ${name}${signature(checker, sig)};`);
    } else if (ts.isClassDeclaration(decl)) {
      const abs = hasModifier(decl, ts.ModifierFlags.Abstract) ? 'abstract ' : '';
      out.push(
        `${abs}class ${name}${typeParams(decl)}${heritage(decl)} {`,
        ...classMembers(checker, decl),
        '}',
      );
    } else if (ts.isInterfaceDeclaration(decl)) {
      const body = decl.members.map((m) => `  ${printNode(m)}`);
      out.push(`interface ${name}${typeParams(decl)}${heritage(decl)} {`, ...body, '}');
    } else if (ts.isTypeAliasDeclaration(decl)) {
      out.push(`type ${name}${typeParams(decl)} = ${printNode(decl.type)};`);
    } else if (ts.isVariableDeclaration(decl)) {
      const t =
        decl.type !== undefined
          ? printNode(decl.type)
          : checker.typeToString(checker.getTypeOfSymbol(target), decl, FLAGS);
      out.push(`const ${name}: ${t};`);
    } else if (ts.isEnumDeclaration(decl)) {
      out.push(printNode(decl));
    }
  }
  if (out.length === 0) out.push(`// ${name}: unsupported declaration kind`);
  return out;
}

function program(entries: readonly ApiEntry[]): ts.Program {
  const cfg = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, ROOT);
  return ts.createProgram({
    rootNames: entries.map((e) => e.source),
    options: { ...parsed.options, noEmit: true },
  });
}

/** The report text of every entry point, keyed by report path. */
export function buildReports(entries: readonly ApiEntry[] = apiEntries()): Map<string, string> {
  const prog = program(entries);
  const checker = prog.getTypeChecker();
  const out = new Map<string, string>();
  for (const e of entries) {
    const sf = prog.getSourceFile(e.source);
    if (sf === undefined) throw new Error(`api report: ${e.source} not in the program`);
    const mod = checker.getSymbolAtLocation(sf);
    const exports = mod === undefined ? [] : checker.getExportsOfModule(mod);
    const sorted = [...exports].sort((a, b) =>
      a.getName() < b.getName() ? -1 : a.getName() > b.getName() ? 1 : 0,
    );
    const values = sorted.filter((s) => {
      const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return (t.flags & ts.SymbolFlags.Value) !== 0;
    }).length;
    const body = sorted.flatMap((s) => [...describe(checker, s.getName(), s), '']);
    out.set(
      e.report,
      [
        `# API report: \`${e.specifier}\``,
        '',
        `<!-- Generated by \`pnpm api:update\` from ${relative(ROOT, e.source)}; do not edit by hand. Every change here is a change of the public API: review it. -->`,
        '',
        `${sorted.length} names (${values} values, ${sorted.length - values} types only).`,
        '',
        '```ts',
        ...body,
        '```',
        '',
      ].join('\n'),
    );
  }
  return out;
}

/** A minimal line diff (the changed lines with a little context) for a failing check. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const onlyA = new Set(a);
  const onlyB = new Set(b);
  const lines: string[] = [];
  for (const l of a) if (!onlyB.has(l)) lines.push(`- ${l}`);
  for (const l of b) if (!onlyA.has(l)) lines.push(`+ ${l}`);
  return lines.join('\n');
}

/** Differences between the committed reports and the sources, as readable text (empty when none). */
export function checkReports(): string {
  const problems: string[] = [];
  for (const [path, text] of buildReports()) {
    const rel = relative(ROOT, path);
    if (!existsSync(path)) {
      problems.push(`${rel}: missing (run pnpm api:update and commit it)`);
      continue;
    }
    const committed = readFileSync(path, 'utf8');
    if (committed !== text) problems.push(`${rel}: differs from the sources\n${lineDiff(committed, text)}`);
  }
  return problems.join('\n\n');
}

function main(): void {
  const mode = process.argv[2];
  if (mode === 'update') {
    for (const [path, text] of buildReports()) {
      mkdirSync(dirname(path), { recursive: true });
      const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
      if (old !== text) {
        writeFileSync(path, text);
        console.log(`api report: wrote ${relative(ROOT, path)}`);
      }
    }
  } else if (mode === 'check') {
    const problems = checkReports();
    if (problems !== '') {
      console.error(
        `${problems}\n\napi report: the public API changed; if that is intended run \`pnpm api:update\` and commit the reports.`,
      );
      process.exit(1);
    }
    console.log('api report: up to date');
  } else {
    console.error('usage: tsx scripts/apiReport.ts check|update');
    process.exit(2);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
