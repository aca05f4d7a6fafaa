// Pass 2 of item processing: resolve field types (once, with diagnostics), function and
// method signatures, constants, and the declaration-level rules (par fields, scope-local types).

import type { FnDecl, Program, Span, TypeExpr } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { checkEffectClause, genericEnv, type FnInfo, type ItemTable, type ParamSig } from "./items.js";
import { ERROR, UNIT, resolve, show, type Ty } from "./types.js";

function containsScopeLocal(t: Ty): boolean {
  const r = resolve(t);
  if (r.kind === "taskHandle" || r.kind === "taskGroup") return true;
  switch (r.kind) {
    case "tuple":
      return r.elems.some(containsScopeLocal);
    case "vec":
    case "array":
    case "slice":
    case "set":
      return containsScopeLocal(r.elem);
    case "enum":
    case "struct":
      return r.args.some(containsScopeLocal);
    default:
      return false;
  }
}

export function resolveSignatures(program: Program, table: ItemTable, diags: DiagnosticBag): void {
  // Field and variant types: resolve once with diagnostics; later lookups are quiet.
  for (const s of table.structs.values()) {
    const env = genericEnv(s.generics, s.generics.map(() => ERROR));
    for (const f of s.fields) {
      if (typeof f.type === "function") continue;
      const t = table.resolveType(f.type, env);
      if (containsScopeLocal(t)) {
        diags.error(Codes.ScopeLocalEscape, "type", `field '${f.name}' has type ${show(t)}: TaskHandle and TaskGroup values cannot be stored in a struct`, f.span);
      }
      if (s.flavor === "par" && f.mut) {
        const r = resolve(t);
        if (r.kind !== "atomic" && r.kind !== "mutex" && r.kind !== "error") {
          diags.error(
            Codes.ParFieldNotConcurrent,
            "type",
            `mutable field '${f.name}' of par struct ${s.name} has type ${show(t)}: a par struct's mut fields must be Atomic[T] or Mutex[T]`,
            f.span,
          );
        }
      }
      if (s.generics.length === 0) {
        const fixed = t;
        f.type = () => fixed;
      }
    }
  }
  for (const e of table.enums.values()) {
    if (!e.decl) continue;
    const env = genericEnv(e.generics, e.generics.map(() => ERROR));
    for (const v of e.variants) {
      v.types = v.types.map((te) => {
        if (typeof te === "function") return te;
        const t = table.resolveType(te, env);
        return e.generics.length === 0 ? () => t : te;
      });
    }
  }

  const addFn = (decl: FnDecl, owner: { name: string; ty: Ty; flavor: string } | undefined): FnInfo | undefined => {
    const typeParams = decl.generics.filter((g) => !g.isEffectVar);
    if (typeParams.length && owner) {
      diags.error(Codes.Unsupported, "type", "generic methods are not supported yet", decl.name.span);
      table.poisoned.add(`${owner.name}.${decl.name.name}`);
      return undefined;
    }
    if (typeParams.length) {
      // Instantiated per call site (monomorphisation); the signature here only reports bad types once.
      if (!decl.body) return undefined;
      const env = genericEnv(typeParams.map((g) => g.name), typeParams.map(() => ERROR));
      const params: ParamSig[] = decl.params.map((p) => ({ name: p.name.name, mode: p.mode === "mutslice" ? "mutref" : p.mode, type: table.resolveType(p.type, env), span: p.span }));
      const ret = decl.ret ? table.resolveType(decl.ret, env) : UNIT;
      if (decl.effects) checkEffectClause(decl.effects.items, table, diags);
      return {
        id: -1,
        name: decl.name.name,
        symbol: decl.name.name,
        decl,
        sig: { params, ret },
        generics: typeParams.map((g) => ({ name: g.name, bounds: g.bounds.flatMap((b) => (b.kind === "named" ? [b.path[b.path.length - 1]] : [])) })),
        instances: new Map(),
      };
    }
    if (!decl.body) return undefined;
    const params: ParamSig[] = [];
    if (decl.receiver && owner) {
      const mode = decl.receiver === "self" ? "owned" : decl.receiver;
      params.push({ name: "self", mode, type: owner.ty, span: decl.name.span });
      if (decl.receiver === "mutref" && owner.flavor === "par") {
        diags.error(Codes.ParMutSelfReceiver, "type", `method '${decl.name.name}' of par type ${owner.name} cannot take \`mut ref self\`: mutate through Atomic or Mutex fields`, decl.name.span);
      }
    } else if (decl.receiver) {
      diags.error(Codes.Unsupported, "type", "a receiver is only allowed inside an impl block", decl.name.span);
    }
    const seen = new Set<string>();
    for (const p of decl.params) {
      if (seen.has(p.name.name)) diags.error(Codes.Duplicate, "resolve", `parameter '${p.name.name}' is bound more than once`, p.name.span);
      seen.add(p.name.name);
      if (p.mode === "mutslice") {
        diags.error(Codes.Unsupported, "type", "`mut Slice[T]` parameters are not supported yet", p.span);
      }
      const t = table.resolveType(p.type, undefined, owner?.ty);
      params.push({ name: p.name.name, mode: p.mode === "mutslice" ? "mutref" : p.mode, type: t, span: p.span });
    }
    const ret = decl.ret ? table.resolveType(decl.ret, undefined, owner?.ty) : UNIT;
    if (containsScopeLocal(ret)) {
      diags.error(Codes.ScopeLocalEscape, "type", `function '${decl.name.name}' returns ${show(ret)}: TaskHandle and TaskGroup values cannot leave the scope that created them`, decl.ret!.span);
    }
    if (decl.effects) checkEffectClause(decl.effects.items, table, diags);
    const info: FnInfo = {
      id: table.allFns.length,
      name: decl.name.name,
      symbol: owner ? `${owner.name}.${decl.name.name}` : decl.name.name,
      owner: owner?.name,
      decl,
      sig: { params, ret },
      ownerTy: owner?.ty,
    };
    table.allFns.push(info);
    return info;
  };

  for (const item of program.items) {
    if (item.kind === "fn") {
      if (table.fns.has(item.name.name)) {
        diags.error(Codes.Duplicate, "resolve", `the name '${item.name.name}' is defined multiple times`, item.name.span);
        continue;
      }
      const info = addFn(item, undefined);
      if (info) table.fns.set(item.name.name, info);
    } else if (item.kind === "impl") {
      const target = implTarget(item.target);
      if (!target) {
        diags.error(Codes.Unsupported, "type", "impl blocks are only supported for structs and enums declared in this file", item.target.span);
        continue;
      }
      if (item.generics.length) {
        diags.error(Codes.Unsupported, "type", "generic impl blocks are not supported yet", item.span);
        continue;
      }
      const s = table.structs.get(target.name);
      const en = table.enums.get(target.name);
      if (!s && !en) {
        diags.error(Codes.Undefined, "resolve", `undefined type '${target.name}'`, item.target.span);
        continue;
      }
      if ((s?.generics.length ?? en!.generics.length) > 0) {
        diags.error(Codes.Unsupported, "type", "impl blocks for generic types are not supported yet", item.target.span);
        continue;
      }
      const ty: Ty = s ? table.structTy(s, []) : table.enumTy(en!, []);
      const flavor = s?.flavor ?? en!.flavor;
      let methods = table.methods.get(target.name);
      if (!methods) table.methods.set(target.name, (methods = new Map()));
      const traitName = item.trait && item.trait.kind === "named" ? item.trait.path[item.trait.path.length - 1] : undefined;
      for (const m of item.methods) {
        if (methods.has(m.name.name)) {
          diags.error(Codes.Duplicate, "resolve", `duplicate definitions with name '${m.name.name}' for ${target.name}`, m.name.span);
          continue;
        }
        const info = addFn(m, { name: target.name, ty, flavor });
        if (!info) continue;
        methods.set(m.name.name, info);
        if (traitName === "Display" && m.name.name === "to_string") table.displayImpls.set(target.name, info);
      }
    } else if (item.kind === "const") {
      if (table.consts.has(item.name.name) || table.fns.has(item.name.name)) {
        diags.error(Codes.Duplicate, "resolve", `the name '${item.name.name}' is defined multiple times`, item.name.span);
        continue;
      }
      if (!item.type) diags.error(Codes.NeedsAnnotation, "type", `module-level binding '${item.name.name}' needs a type annotation`, item.name.span);
      const type = item.type ? table.resolveType(item.type) : ERROR;
      table.consts.set(item.name.name, { id: table.consts.size, name: item.name.name, mut: item.mut, decl: item, type });
    } else if (item.kind === "trait") {
      // Traits carry no code of their own until generics land; impls register their methods on the target.
    } else if (item.kind === "import") {
      diags.error(Codes.Unsupported, "resolve", "imports are not supported in single-file programs", item.span);
    }
  }
}

function implTarget(t: TypeExpr): { name: string; span: Span } | undefined {
  if (t.kind !== "named" || t.path.length !== 1) return undefined;
  return { name: t.path[0], span: t.span };
}
