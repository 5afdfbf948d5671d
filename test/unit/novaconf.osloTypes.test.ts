/**
 * oslo.config's types (osloTypes.ts) on recorded cases: each expected text is what
 * oslo_config.types in Debian's python3-nova 26 said for the value (the oracle layer compares
 * thousands more live, in test/oracle/nova.oracle.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type OsloType } from '../../server/src/knowledge/nova/osloTypes';

const CASES: Array<[OsloType, string, string | null]> = [
  [{k: 'list', it: {k: 'str', c: ['osapi_compute', 'metadata']}}, "ec2,osapi_compute,metadata", "Valid values are [osapi_compute, metadata], but found 'ec2,osapi_compute,metadata'"],
  [{k: 'list', it: {k: 'str', c: ['osapi_compute', 'metadata']}}, "osapi_compute, metadata,", null],
  [{k: 'dict', vt: {k: 'str'}}, "a:1,a:2", "Duplicate key a"],
  [{k: 'dict', vt: {k: 'str'}}, ":1", "Key name should not be empty"],
  [{k: 'dict', vt: {k: 'int'}}, "a:1,b", "Value should be NAME:VALUE pairs separated by \",\""],
  [{k: 'hostaddress'}, "MGMT_IP", "MGMT_IP is not a valid host address"],
  [{k: 'hostdomain'}, "host_1", null],
  [{k: 'hostdomain'}, "bad host!", "bad host! is not a valid host address"],
  [{k: 'hostname'}, "123", "123 contains no non-numeric characters in the top-level domain part of the host name and is invalid"],
  [{k: 'ip', v: 6}, "1::2::3", "1::2::3 is not an IPv6 address"],
  [{k: 'ip'}, "::ffff:1.2.3.4", null],
  [{k: 'ip', v: 4}, "01.2.3.4", "01.2.3.4 is not an IPv4 address"],
  [{k: 'ip'}, "", "IP address cannot be an empty string"],
  [{k: 'uri'}, "http://<host_ip>:6080/vnc_auto.html", "('host was required but missing', URIReference(scheme='http', authority='<host_ip>:6080', path='/vnc_auto.html', query=None, fragment=None), ['host'])"],
  [{k: 'uri'}, "http://[fe80::1%eth0]/", "('host was found to be invalid', URIReference(scheme='http', authority='[fe80::1%eth0]', path='/', query=None, fragment=None), ['host'])"],
  [{k: 'uri'}, "x", "('host, scheme were required but missing', URIReference(scheme=None, authority=None, path='x', query=None, fragment=None), ['host', 'scheme'])"],
  // The last element is a Python set, printed in the process's hash order; we print it sorted.
  [{k: 'uri', sc: ['http', 'https']}, "HTTP://x/", "(\"scheme was required to be one of ['http', 'https'] but was 'HTTP'\", 'scheme', 'HTTP', {'http', 'https'})"],
  [{k: 'str', re: '^\\d+:\\d+$'}, "1:x", "Value '1:x' doesn't match regex '^\\\\d+:\\\\d+$'"],
  [{k: 'str', ml: 5}, "abcdef", "Value 'abcdef' exceeds maximum length 5"],
  [{k: 'str', q: 1}, "'a", "Non-closed quote: 'a"],
  [{k: 'int', max: 2147483647}, "2147483648", "Should be less than or equal to 2.14748e+09"],
  [{k: 'float', min: 0.0001}, "0.00001", "Should be greater than or equal to 0.0001"],
  [{k: 'int', c: [256, 512]}, "7", "Valid values are OrderedDict([(256, None), (512, None)]), but found 7"],
  [{k: 'port'}, "70000", "Should be less than or equal to 65535"],
  [{k: 'bool'}, "y", "Unexpected boolean value 'y'"],
  [{k: 'float'}, "٣", null],
];

for (const [type, value, expected] of CASES) {
  test(`oslo type ${JSON.stringify(type)} on ${JSON.stringify(value)}`, () => {
    const r = check(type, value);
    assert.equal(r.ok ? null : r.message, expected);
  });
}
