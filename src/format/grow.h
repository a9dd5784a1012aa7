/* grow.h -- the one way arrays and byte buffers grow in libragc. */
#ifndef RAGC_GROW_H
#define RAGC_GROW_H

#include <stddef.h>

/* Room for at least `need` elements of elem_size bytes in array v, which
   has room for *cap: if need > *cap, the capacity doubles (first to
   min_cap) until it is enough, and v is realloc'ed.  Returns the array
   (moved or not) with *cap updated, or NULL on allocation failure or
   overflow, v and *cap then untouched.  need must be at least 1. */
void *rg_reserve(void *v, size_t *cap, size_t need, size_t elem_size, size_t min_cap);

/* If array v holds n == cap elements, makes room for one more with
   rg_reserve; on allocation failure leaves v and cap as they were and runs
   the statement `on_fail`. */
#define RG_GROW(v, n, cap, min_cap, on_fail)                                       \
    do {                                                                           \
        if ((n) >= (cap)) {                                                        \
            size_t rg_cap_ = (size_t)(cap);                                        \
            void *rg_p_ = rg_reserve((v), &rg_cap_, (size_t)(n) + 1, sizeof(*(v)), \
                                     (size_t)(min_cap));                           \
            if (!rg_p_) {                                                          \
                on_fail;                                                           \
            } else {                                                               \
                (v) = rg_p_;                                                       \
                (cap) = rg_cap_;                                                   \
            }                                                                      \
        }                                                                          \
    } while (0)

#endif
