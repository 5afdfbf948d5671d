// Run inside a mount namespace by hosts.nested.test.ts: reads the nested facts from the default
// paths (/sys/module, /proc/cpuinfo unless argv[2] names another) and prints them as JSON.
import { readNestedFacts } from '../../server/src/hosts/nested';
import { LocalRunner } from '../../server/src/hosts/localRunner';

void readNestedFacts(new LocalRunner(), { cpuinfo: process.argv[2] }).then((f) => process.stdout.write(JSON.stringify(f)));
