/**
 * A minimal SVG/XML well-formedness check for tests (no XML dependency): one root `<svg>`, every
 * tag closed in order, quoted attributes, no stray `<` or unescaped `&` in text. Returns the
 * elements' ids in document order, with the element name and attributes of each.
 */
export interface SvgElement { readonly name: string; readonly attrs: Readonly<Record<string, string>>; readonly children: number }

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
const ATTR = /([\w:.-]+)="([^"<]*)"/g;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

/** Throws with the offset of the first problem; returns elements that have an id, by id. */
export function checkSvg(doc: string): Map<string, SvgElement> {
  const ids = new Map<string, SvgElement>();
  const stack: { name: string; attrs: Record<string, string>; children: number }[] = [];
  let roots = 0;
  let i = doc.startsWith('<?xml') ? doc.indexOf('?>') + 2 : 0;
  while (i < doc.length) {
    const c = doc[i]!;
    if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(doc)) throw new Error(`unescaped & at ${i}`);
      i = ENTITY.lastIndex;
      continue;
    }
    if (c !== '<') {
      if (stack.length === 0 && c.trim() !== '') throw new Error(`text outside the root at ${i}`);
      i++;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(doc);
    if (m === null) throw new Error(`malformed tag at ${i}: ${doc.slice(i, i + 40)}`);
    i = TAG.lastIndex;
    const [, close, name, attrText, selfClose] = m;
    if (close === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${i}`);
      continue;
    }
    const attrs = Object.fromEntries([...attrText!.matchAll(ATTR)].map((a) => [a[1]!, a[2]!]));
    if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
    if (stack.length > 0) stack[stack.length - 1]!.children++;
    const el = { name: name!, attrs, children: 0 };
    if (attrs.id !== undefined) {
      if (ids.has(attrs.id)) throw new Error(`duplicate id ${attrs.id}`);
      ids.set(attrs.id, el);
    }
    if (selfClose !== '/') stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (roots !== 1) throw new Error('no root element');
  return ids;
}
