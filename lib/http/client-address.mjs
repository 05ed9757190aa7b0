// @ts-check
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The address the portal knows a client by, for its limits, its waiting line, its records and its
 * log: an IPv4 address as it is (also when it comes carried in IPv6, `::ffff:192.0.2.1`), an IPv6 one as
 * its /64 network (`2001:db8:1:2::/64`). A host is handed a whole /64 and may use any address in it
 * (its own privacy addresses change daily): counted address by address, one IPv6 host was as many
 * clients as it liked, and no limit per address held.
 * @param {string} address
 */
export function clientAddress(address) {
  if (!isIPv6(address)) return address;
  const groups = groupsOf(address);
  // An IPv4 client carried in IPv6, in whichever form a proxy wrote it (`::ffff:192.0.2.1`,
  // `::ffff:c000:201`, SIIT's `::ffff:0:192.0.2.1`, NAT64's `64:ff9b::192.0.2.1`): read as one /64,
  // every IPv4 client behind it would be one, and one's flood would stop them all.
  const prefix = groups.slice(0, 6).join(':');
  if (prefix === MAPPED || TRANSLATED.includes(prefix)) {
    const [high, low] = groups.slice(6).map((group) => parseInt(group, 16));
    const ipv4 = [high >> 8, high & 255, low >> 8, low & 255].join('.');
    // The translated forms are ordinary IPv6 sources, and carry only global IPv4 (RFC 6052 3.1): one naming the
    // loopback or a private network is an IPv6 host posing as this machine or a neighbour (review r48e F2).
    if (prefix === MAPPED || !NOT_GLOBAL.check(ipv4, 'ipv4')) return ipv4;
  }
  // The loopback is one host, not a network.
  if (groups.join(':') === '0:0:0:0:0:0:0:1') return '::1';
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/**
 * The address in one entry of `X-Forwarded-For` as proxies write it: bare (`192.0.2.1`,
 * `2001:db8::1`) or with the port of the client's connection (`192.0.2.1:40001`,
 * `[2001:db8::1]:443`, as Azure Application Gateway does by default). The port must go: every
 * connection has its own, and kept, each would be a client of its own that no limit holds. Null
 * for anything that is no address (`unknown`, an obfuscated name).
 * @param {string} entry
 * @returns {string | null}
 */
export function forwardedAddress(entry) {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return isIPv6(/** @type {string} */ (bracketed[1])) ? /** @type {string} */ (bracketed[1]) : null;
  const withPort = /^([\d.]+):\d{1,5}$/.exec(entry);
  const address = withPort ? /** @type {string} */ (withPort[1]) : entry;
  return isIPv4(address) || isIPv6(address) ? address : null;
}

/** The first six groups of IPv6 addresses whose last 32 bits are an IPv4 client: mapped (a dual-stack socket's IPv4 peer). */
const MAPPED = '0:0:0:0:0:ffff';
/** The same for SIIT's translated form and NAT64's well-known prefix (RFC 6052). */
const TRANSLATED = ['0:0:0:0:ffff:0', '64:ff9b:0:0:0:0'];

/** IPv4 networks a translated address never carries: this network, private, shared, loopback, link-local. */
const NOT_GLOBAL = new BlockList();
for (const [network, prefix] of /** @type {const} */ ([
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
])) {
  NOT_GLOBAL.addSubnet(network, prefix, 'ipv4');
}

/** The eight groups of a valid IPv6 address, each as short hex. @param {string} address */
function groupsOf(address) {
  let text = address.split('%')[0].toLowerCase();
  // A dotted IPv4 tail (`64:ff9b::192.0.2.1`) is two groups.
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, undefined];
  const head = left ? left.split(':') : [];
  const rest = right ? right.split(':') : [];
  const zeros = right === undefined ? [] : Array(8 - head.length - rest.length).fill('0');
  return [...head, ...zeros, ...rest].map((group) => parseInt(group, 16).toString(16));
}
