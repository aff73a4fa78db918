/* map.c - a string-keyed hash map (open addressing), for lookups over a whole register */
#include "map.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

static struct map_slot *find_slot(struct map_slot *slots, size_t cap, const char *key)
{
    size_t i = hash_key(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

void *map_get(const struct map *m, const char *key)
{
    if (!m->cap) return NULL;
    struct map_slot *s = find_slot(m->slots, m->cap, key);
    return s->key ? s->value : NULL;
}

void *map_put(struct map *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct map_slot *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key) *find_slot(slots, cap, m->slots[i].key) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    struct map_slot *s = find_slot(m->slots, m->cap, key);
    void *old = NULL;
    if (s->key) {
        old = s->value;
    } else {
        s->key = xstrdup(key);
        m->count++;
    }
    s->value = value;
    return old;
}

void map_each(const struct map *m, void (*fn)(const char *key, void *value, void *data), void *data)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key) fn(m->slots[i].key, m->slots[i].value, data);
}

void map_free(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
