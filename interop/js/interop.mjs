// Cross-checks microcred with the digitalbazaar JavaScript stack, offline.
//
//   node interop.mjs verify FILE   verify a credential (eddsa-rdfc-2022, did:key) -> prints {"verified": ...}
//   node interop.mjs issue         sign an Open Badges 3.0 credential with a fresh did:key -> prints it
//
// JSON-LD contexts come from microcred's built-in copies (crates/jsonld/contexts, listed with their
// URLs in crates/jsonld/src/contexts.rs); did:key documents are derived locally. Nothing is fetched.

import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const here = dirname(fileURLToPath(import.meta.url));
const jsonldCrate = join(here, '..', '..', 'crates', 'jsonld');

// url -> parsed context, from the builtin!("url", "file", "sha256") table of microcred-jsonld.
const contexts = new Map();
const table = readFileSync(join(jsonldCrate, 'src', 'contexts.rs'), 'utf8');
for (const [, url, file] of table.matchAll(/builtin!\(\s*"([^"]+)",\s*"([^"]+)"/g)) {
  contexts.set(url, JSON.parse(readFileSync(join(jsonldCrate, 'contexts', file), 'utf8')));
}

function didKeyDocuments(url) {
  const did = url.split('#')[0];
  const multibase = did.slice('did:key:'.length);
  const vmId = `${did}#${multibase}`;
  const method = {id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: multibase};
  if(url.includes('#')) {
    return {'@context': 'https://w3id.org/security/multikey/v1', ...method};
  }
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [method],
    assertionMethod: [vmId],
    authentication: [vmId]
  };
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:z6Mk')) {
    return {contextUrl: null, documentUrl: url, document: didKeyDocuments(url)};
  }
  throw new Error(`offline document loader: ${url} is not built in`);
}

async function verify(file) {
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({credential, suite, documentLoader});
  const errors = [];
  if(result.error) {
    for(const e of result.error.errors || [result.error]) {
      errors.push(String(e.message || e));
    }
  }
  console.log(JSON.stringify({verified: result.verified, errors}));
  process.exitCode = result.verified ? 0 : 1;
}

async function issue() {
  const generated = await Ed25519Multikey.generate();
  const did = `did:key:${generated.publicKeyMultibase}`;
  const exported = await generated.export({publicKey: true, secretKey: true, includeContext: true});
  const keyPair = await Ed25519Multikey.from({...exported, id: `${did}#${generated.publicKeyMultibase}`, controller: did});
  const credential = {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
    ],
    id: 'urn:uuid:7d3f2a1e-3c55-4b8e-9f61-0a4d5e6c7b88',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: did, type: ['Profile'], name: 'JavaScript Test Issuer'},
    validFrom: '2025-01-01T00:00:00Z',
    name: 'Interoperability Badge',
    credentialSubject: {
      id: 'did:example:learner-1',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://issuer.example/achievements/interop',
        type: ['Achievement'],
        name: 'Interoperability',
        description: 'Issued by the digitalbazaar stack, verified by microcred.',
        criteria: {narrative: 'Be signed by another implementation.'}
      }
    }
  };
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  const signed = await vc.issue({credential, suite, documentLoader});
  console.log(JSON.stringify(signed, null, 2));
}

const [mode, file] = process.argv.slice(2);
if(mode === 'verify' && file) {
  await verify(file);
} else if(mode === 'issue') {
  await issue();
} else {
  console.error('usage: node interop.mjs verify FILE | node interop.mjs issue');
  process.exitCode = 2;
}
