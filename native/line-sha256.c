/*
 * SHA-256 of one audit-log line where the writer's chunk holds it, with the
 * digest written into the same chunk as 64 lowercase hex digits.
 *
 * Why native: node:crypto's one-shot hash goes through OpenSSL 3's EVP
 * layer, which costs about 250 ns per call before the first byte is hashed
 * (a provider context made and freed each time); a log line is 180-400
 * bytes, which SHA-256 with the CPU's SHA extensions hashes in about
 * 100-250 ns. One call per line made the EVP cost a fifth of an mm1 run.
 * The low-level SHA256_Init/Update/Final go straight to OpenSSL's block
 * function (the same code EVP ends in): the same digest, without the EVP
 * set-up. They are OpenSSL's, exported by node itself for addons, so this
 * file hashes nothing of its own making.
 *
 * bind(memory) returns digestHexAt(start, end, hexAt) bound to that memory
 * (a Uint8Array, kept alive as long as the function is): the digest of
 * memory[start, end) as hex at memory[hexAt, hexAt + 64). The hex is
 * written after the range is read, so it may overlap it. A range outside
 * the memory as it is at the call (detached: empty) throws a RangeError
 * and writes nothing.
 *
 * Built by scripts/build.mjs into dist/native/line-sha256.node when a C
 * compiler is at hand; without it the writer hashes through node:crypto
 * (sim/log/native-line-sha256.ts), with the same bytes.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
  napi_ref memory;
} Bound;

static const char HEX[] = "0123456789abcdef";

static int arg_index(napi_env env, napi_value value, uint32_t *out) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok) return 0;
  if (!(number >= 0 && number <= 4294967295.0) || number != (double)(uint32_t)number) return 0;
  *out = (uint32_t)number;
  return 1;
}

static napi_value digest_hex_at(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  Bound *bound;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&bound) != napi_ok) return NULL;
  uint32_t start, end, hex_at;
  if (argc < 3 || !arg_index(env, argv[0], &start) || !arg_index(env, argv[1], &end) || !arg_index(env, argv[2], &hex_at)) {
    napi_throw_type_error(env, NULL, "digestHexAt(start, end, hexAt): three non-negative integers expected");
    return NULL;
  }
  // The memory's place and length are read at every call, not kept from bind: a detached buffer reads as length 0
  // and a resized one as its length now, so the checks below hold whatever became of it (about 15 ns a call).
  napi_value memory;
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_reference_value(env, bound->memory, &memory) != napi_ok || memory == NULL ||
      napi_get_typedarray_info(env, memory, &type, &length, &data, &buffer, &offset) != napi_ok) {
    napi_throw_error(env, NULL, "digestHexAt: the bound memory is gone");
    return NULL;
  }
  if (data == NULL || start > end || end > length || length < 64 || hex_at > length - 64) {
    napi_throw_range_error(env, NULL, "digestHexAt: the range or the digest's place is outside the bound memory");
    return NULL;
  }
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, (uint8_t *)data + start, end - start);
  SHA256_Final(digest, &context);
  uint8_t *out = (uint8_t *)data + hex_at;
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
    out[2 * i] = (uint8_t)HEX[digest[i] >> 4];
    out[2 * i + 1] = (uint8_t)HEX[digest[i] & 15];
  }
  return NULL;
}

static void release(napi_env env, void *data, void *hint) {
  (void)hint;
  Bound *bound = data;
  napi_delete_reference(env, bound->memory);
  free(bound);
}

static napi_value bind(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  bool is_typed_array = false;
  if (argc < 1 || napi_is_typedarray(env, argv[0], &is_typed_array) != napi_ok || !is_typed_array) {
    napi_throw_type_error(env, NULL, "bind(memory): a Uint8Array expected");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "bind(memory): a Uint8Array expected");
    return NULL;
  }
  Bound *bound = calloc(1, sizeof *bound);
  if (bound == NULL) {
    napi_throw_error(env, NULL, "bind: out of memory");
    return NULL;
  }
  if (napi_create_reference(env, argv[0], 1, &bound->memory) != napi_ok) {
    free(bound);
    napi_throw_error(env, NULL, "bind: could not hold the memory");
    return NULL;
  }
  napi_value function;
  if (napi_create_function(env, "digestHexAt", NAPI_AUTO_LENGTH, digest_hex_at, bound, &function) != napi_ok) {
    napi_delete_reference(env, bound->memory);
    free(bound);
    napi_throw_error(env, NULL, "bind: could not make the bound function");
    return NULL;
  }
  // From here the function points at `bound`: if its finalizer cannot be added, `bound` is left (a small leak) rather
  // than freed under a function that may still be called.
  if (napi_add_finalizer(env, function, bound, release, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "bind: could not make the bound function");
    return NULL;
  }
  return function;
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "bind", NAPI_AUTO_LENGTH, bind, NULL, &function) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "bind", function) != napi_ok) return NULL;
  return exports;
}
