/* map.h - a string-keyed hash map (open addressing), for lookups over a whole register */
#ifndef RISKREG_MAP_H
#define RISKREG_MAP_H

#include <stddef.h>

struct map_slot {
    char *key;
    void *value;
};

struct map {
    struct map_slot *slots;
    size_t cap, count;
};

/* The value stored under key, or NULL. */
void *map_get(const struct map *m, const char *key);
/* Store value under key (the key is copied); returns the value it replaced, or NULL. */
void *map_put(struct map *m, const char *key, void *value);
/* Free the keys; values are the caller's (map_each can free them first). */
void map_free(struct map *m);
void map_each(const struct map *m, void (*fn)(const char *key, void *value, void *data),
              void *data);

#endif
