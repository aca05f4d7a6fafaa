// Pass 2 of item processing: resolve field types (once, with diagnostics), function and
// method signatures, constants, and the declaration-level rules (par fields, scope-local types).

import type { FnDecl, GenericParam, ImplDecl, Program, Span, TypeExpr } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { checkEffectClause, genericEnv, methodOwnerKey, type FnInfo, type ItemTable, type ParamSig } from "./items.js";
import { ERROR, UNIT, resolve, show, type Ty } from "./types.js";
import { paramModeType } from "./mut-slice.js";
import { checkImport } from "./imports.js";

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

  type Owner = { name: string; ty: Ty; flavor: string; implGenerics?: GenericParam[]; targetExpr?: TypeExpr };
  const addFn = (decl: FnDecl, owner: Owner | undefined): FnInfo | undefined => {
    const typeParams = [...(owner?.implGenerics ?? []), ...decl.generics].filter((g) => !g.isEffectVar);
    if (typeParams.length) {
      // Instantiated per call site (monomorphisation); the signature here only reports bad types once.
      if (!decl.body) return undefined;
      const env = genericEnv(typeParams.map((g) => g.name), typeParams.map(() => ERROR));
      const selfTy = owner?.targetExpr ? table.resolveType(owner.targetExpr, env) : owner?.ty;
      const params: ParamSig[] = decl.params.map((p) => ({ name: p.name.name, ...paramModeType(p.mode, table.resolveType(p.type, env, selfTy)), span: p.span }));
      if (decl.receiver && owner) params.unshift({ name: "self", mode: decl.receiver === "self" ? "owned" : decl.receiver, type: selfTy ?? ERROR, span: decl.name.span, ...(decl.frozenSelf ? { frozen: true as const } : {}) });
      const ret = decl.ret ? table.resolveType(decl.ret, env, selfTy) : UNIT;
      if (decl.effects) checkEffectClause(decl.effects.items, table, diags);
      return {
        id: -1,
        name: decl.name.name,
        symbol: owner ? `${owner.name}.${decl.name.name}` : decl.name.name,
        owner: owner?.name,
        decl,
        sig: { params, ret },
        generics: typeParams.map((g) => ({ name: g.name, bounds: g.bounds.flatMap((b) => (b.kind === "named" ? [b.path[b.path.length - 1]] : [])) })),
        instances: new Map(),
        ownerTypeExpr: owner?.targetExpr,
      };
    }
    if (!decl.body) return undefined;
    const params: ParamSig[] = [];
    if (decl.receiver && owner) {
      const mode = decl.receiver === "self" ? "owned" : decl.receiver;
      params.push({ name: "self", mode, type: owner.ty, span: decl.name.span, ...(decl.frozenSelf ? { frozen: true as const } : {}) });
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
      const t = table.resolveType(p.type, undefined, owner?.ty);
      params.push({ name: p.name.name, ...paramModeType(p.mode, t), span: p.span });
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
      const s = table.structs.get(target.name);
      const en = table.enums.get(target.name);
      if (!s && !en) {
        builtinImpl(program, item, table, diags, addFn);
        continue;
      }
      const arity = s?.generics.length ?? en!.generics.length;
      const implNames = item.generics.filter((g) => !g.isEffectVar).map((g) => g.name);
      const targetArgs = item.target.kind === "named" ? item.target.args : [];
      // Generic types need `impl[T] Name[T]` with the impl's own parameters as arguments.
      const genericImpl =
        arity > 0 &&
        targetArgs.length === arity &&
        targetArgs.every((a, i) => a.kind === "named" && a.path.length === 1 && a.path[0] === implNames[i] && a.args.length === 0) &&
        implNames.length === arity;
      if (arity > 0 && !genericImpl) {
        diags.error(Codes.Unsupported, "type", `impl blocks for ${target.name} must be written impl[${(s?.generics ?? en!.generics).join(", ")}] ${target.name}[${(s?.generics ?? en!.generics).join(", ")}]`, item.target.span);
        continue;
      }
      if (arity === 0 && item.generics.length) {
        diags.error(Codes.Unsupported, "type", "generic impl blocks for non-generic types are not supported yet", item.span);
        continue;
      }
      const ty: Ty = s ? table.structTy(s, arity ? s.generics.map(() => ERROR) : []) : table.enumTy(en!, arity ? en!.generics.map(() => ERROR) : []);
      const flavor = s?.flavor ?? en!.flavor;
      let methods = table.methods.get(target.name);
      if (!methods) table.methods.set(target.name, (methods = new Map()));
      const traitName = item.trait && item.trait.kind === "named" ? item.trait.path[item.trait.path.length - 1] : undefined;
      if (traitName && OPERATOR_TRAITS.has(traitName)) {
        diags.error(
          Codes.OperatorImpl,
          "resolve",
          `operator trait ${traitName} cannot be implemented: only PartialEq, Eq, PartialOrd, Ord and Display may be implemented for user types`,
          item.trait!.span,
        );
        continue;
      }
      // Default methods of the implemented trait are methods of the target too, unless overridden.
      const traitDecl = traitName ? program.items.find((i) => i.kind === "trait" && i.name.name === traitName) : undefined;
      const defaults = traitDecl && traitDecl.kind === "trait" ? traitDecl.methods.filter((d) => d.body && !item.methods.some((m) => m.name.name === d.name.name)) : [];
      for (const m of [...item.methods, ...defaults]) {
        // A type converts from several sources: each further `impl From[S]` / `impl TryFrom[S]`
        // keeps its `from` / `try_from` under a numbered key (conversions.ts picks by argument).
        let key = m.name.name;
        if (methods.has(key) && isConversionImpl(traitName, key)) {
          let n = 1;
          while (methods.has(`${key}#${n}`)) n++;
          key = `${key}#${n}`;
        } else if (methods.has(key)) {
          diags.error(Codes.Duplicate, "resolve", `duplicate definitions with name '${m.name.name}' for ${target.name}`, m.name.span);
          continue;
        }
        const info = addFn(m, genericImpl ? { name: target.name, ty, flavor, implGenerics: item.generics, targetExpr: item.target } : { name: target.name, ty, flavor });
        if (!info) continue;
        methods.set(key, info);
        // Trait methods of generic types are instantiated per use; only non-generic ones back operators/printing.
        const sigOk = (ret: (t: Ty) => boolean, arity: number): boolean =>
          info.id >= 0 && info.decl.receiver === "ref" && info.sig.params.length === arity && ret(info.sig.ret);
        if (traitName === "Display" && m.name.name === "to_string") {
          if (!sigOk((t) => resolve(t).kind === "string", 1)) {
            diags.error(Codes.Mismatch, "type", "Display is implemented by `fn to_string(ref self) -> String`", m.name.span);
          } else table.displayImpls.set(target.name, info);
        }
        if ((traitName === "PartialEq" || traitName === "Eq") && m.name.name === "eq") {
          if (!sigOk((t) => resolve(t).kind === "bool", 2)) {
            diags.error(Codes.Mismatch, "type", `${traitName} is implemented by \`fn eq(ref self, other: ref ${target.name}) -> bool\``, m.name.span);
          } else table.eqImpls.set(target.name, info);
        }
        if ((traitName === "PartialOrd" || traitName === "Ord") && m.name.name === "cmp") {
          if (!sigOk((t) => resolve(t).kind === "enum" && (resolve(t) as { name: string }).name === "Ordering", 2)) {
            diags.error(Codes.Mismatch, "type", `${traitName} is implemented by \`fn cmp(ref self, other: ref ${target.name}) -> Ordering\``, m.name.span);
          } else table.cmpImpls.set(target.name, info);
        }
        if (traitName === "Drop" && m.name.name === "drop") {
          if (!(info.id >= 0 && info.decl.receiver === "mutref" && info.sig.params.length === 1 && resolve(info.sig.ret).kind === "unit")) {
            diags.error(Codes.Mismatch, "type", "Drop is implemented by `fn drop(mut ref self)`", m.name.span);
          } else table.dropImpls.set(target.name, info);
        }
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
      checkImport(item, diags);
    }
  }
}

/**
 * `impl Trait for u8` / `String` / `Vec[i64]` / `Slice[i64]`: methods of a primitive or builtin
 * type, filed under the printed type (methodOwnerKey), so each integer width has its own impl
 * and a call dispatches by the receiver's declared type. Only concrete types: an impl generic
 * over the element (`impl[T] Trait for Vec[T]`) is not supported.
 */
function builtinImpl(
  program: Program,
  item: ImplDecl,
  table: ItemTable,
  diags: DiagnosticBag,
  addFn: (decl: FnDecl, owner: { name: string; ty: Ty; flavor: string }) => FnInfo | undefined,
): void {
  const named = item.target.kind === "named" ? item.target.path[0] : "";
  if (!table.isTypeName(named)) {
    diags.error(Codes.Undefined, "resolve", `undefined type '${named}'`, item.target.span);
    return;
  }
  if (item.generics.some((g) => !g.isEffectVar)) {
    diags.error(Codes.Unsupported, "type", `generic impl blocks for builtin types are not supported yet: implement the trait for each element type`, item.span);
    return;
  }
  const ty = table.resolveType(item.target);
  const key = methodOwnerKey(ty);
  if (!key) return; // the type itself was reported
  const traitName = item.trait && item.trait.kind === "named" ? item.trait.path[item.trait.path.length - 1] : undefined;
  if (!traitName) {
    diags.error(Codes.Unsupported, "type", `inherent impl blocks are only allowed for types declared in this file: declare a trait and implement it for ${key}`, item.target.span);
    return;
  }
  if (OPERATOR_TRAITS.has(traitName) || BUILTIN_BEHAVIOUR_TRAITS.has(traitName)) {
    diags.error(Codes.OperatorImpl, "resolve", `trait ${traitName} is built into ${key} and cannot be implemented for it`, item.trait!.span);
    return;
  }
  let methods = table.methods.get(key);
  if (!methods) table.methods.set(key, (methods = new Map()));
  const traitDecl = program.items.find((i) => i.kind === "trait" && i.name.name === traitName);
  const defaults = traitDecl && traitDecl.kind === "trait" ? traitDecl.methods.filter((d) => d.body && !item.methods.some((m) => m.name.name === d.name.name)) : [];
  for (const m of [...item.methods, ...defaults]) {
    if (methods.has(m.name.name)) {
      diags.error(Codes.Duplicate, "resolve", `duplicate definitions with name '${m.name.name}' for ${key}`, m.name.span);
      continue;
    }
    const info = addFn(m, { name: key, ty, flavor: "plain" });
    if (info) methods.set(m.name.name, info);
  }
}

/** Traits whose behaviour builtin types already have (printing, comparison, hashing, copying). */
const BUILTIN_BEHAVIOUR_TRAITS = new Set(["Display", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Clone", "Copy", "Debug"]);

const OPERATOR_TRAITS = new Set(["Add", "Sub", "Mul", "Div", "Rem", "Neg", "Not", "BitAnd", "BitOr", "BitXor", "Shl", "Shr", "Index", "IndexMut", "AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign"]);

function implTarget(t: TypeExpr): { name: string; span: Span } | undefined {
  if (t.kind !== "named" || t.path.length !== 1) return undefined;
  return { name: t.path[0], span: t.span };
}

/** `from` of an `impl From[S]`, `try_from` of an `impl TryFrom[S]`: one per source type. */
function isConversionImpl(traitName: string | undefined, method: string): boolean {
  return (traitName === "From" && method === "from") || (traitName === "TryFrom" && method === "try_from");
}
