// A real, strict XML 1.0 parser (saxes): it refuses characters outside the Char production,
// unescaped markup and anything else that is not well-formed, which a regular expression would not.
import { SaxesParser } from 'saxes';

export type XmlElement = { name: string; attributes: Record<string, string>; text: string; children: XmlElement[] };

/** Parses a whole document, throwing on the first well-formedness error; returns the root element. */
export function parseStrictXml(document: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.entries(tag.attributes).map(([key, attr]) => [key, attr.value]));
    const element: XmlElement = { name: tag.local, attributes, text: '', children: [] };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(document).close();
  if (!root) throw new Error('no root element');
  return root;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
