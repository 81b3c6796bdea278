#ifndef CRDKAFKA_SHIM_H
#define CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sys/types.h>

/// Enqueues one message for `topic` (librdkafka copies key, value and topic name before returning;
/// `headers`, when not NULL, become librdkafka's on success and stay the caller's on failure).
/// `partition` is RD_KAFKA_PARTITION_UA to let the partitioner choose from the key. Returns
/// RD_KAFKA_RESP_ERR_NO_ERROR or the reason the message was not enqueued (a full queue among them).
/// Swift cannot call rd_kafka_producev (variadic) and the rd_kafka_vu_t union is clumsy from Swift.
static inline rd_kafka_resp_err_t cferry_kafka_produce(
    rd_kafka_t *rk, const char *topic, int32_t partition,
    const void *value, size_t value_length, const void *key, size_t key_length,
    rd_kafka_headers_t *headers, void *opaque)
{
    rd_kafka_vu_t vus[7];
    size_t count = 0;
    vus[count].vtype = RD_KAFKA_VTYPE_TOPIC;
    vus[count++].u.cstr = topic;
    vus[count].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[count++].u.i32 = partition;
    vus[count].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[count].u.mem.ptr = (void *)value;
    vus[count++].u.mem.size = value_length;
    if (key != NULL) {
        vus[count].vtype = RD_KAFKA_VTYPE_KEY;
        vus[count].u.mem.ptr = (void *)key;
        vus[count++].u.mem.size = key_length;
    }
    vus[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[count++].u.i = RD_KAFKA_MSG_F_COPY;
    vus[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[count++].u.ptr = opaque;
    if (headers != NULL) {
        vus[count].vtype = RD_KAFKA_VTYPE_HEADERS;
        vus[count++].u.headers = headers;
    }
    rd_kafka_error_t *error = rd_kafka_produceva(rk, vus, count);
    if (error == NULL) return RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    rd_kafka_error_destroy(error);
    return code;
}

/// RD_KAFKA_PARTITION_UA (a macro Swift does not import): the partitioner picks the partition.
static inline int32_t cferry_kafka_partition_unassigned(void) { return RD_KAFKA_PARTITION_UA; }

/// RD_KAFKA_OFFSET_INVALID (a macro): no offset, as in "nothing committed yet".
static inline int64_t cferry_kafka_offset_invalid(void) { return RD_KAFKA_OFFSET_INVALID; }

#endif
