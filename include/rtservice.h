/*
 * RT-Thread's intrusive lists: a circular doubly linked rt_list_t and a NULL-terminated singly
 * linked rt_slist_t, with the macros that get from a node back to the struct holding it.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef __RT_SERVICE_H__
#define __RT_SERVICE_H__

#include <rtdef.h>

#ifdef __cplusplus
extern "C"
{
#endif

/** The struct of type `type` whose member `member` is at `ptr`. */
#define rt_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/** A list head that is empty: RT_LIST_OBJECT_INIT(head) in its own initialiser. */
#define RT_LIST_OBJECT_INIT(object)                                                                \
    {                                                                                              \
        &(object), &(object)                                                                       \
    }

rt_inline void rt_list_init(rt_list_t *l)
{
    l->next = l;
    l->prev = l;
}

/** Puts n right after l. */
rt_inline void rt_list_insert_after(rt_list_t *l, rt_list_t *n)
{
    n->prev = l;
    n->next = l->next;
    l->next->prev = n;
    l->next = n;
}

/** Puts n right before l: at the tail when l is the head. */
rt_inline void rt_list_insert_before(rt_list_t *l, rt_list_t *n)
{
    n->next = l;
    n->prev = l->prev;
    l->prev->next = n;
    l->prev = n;
}

/** Takes n out of its list; n is then an empty list of its own. */
rt_inline void rt_list_remove(rt_list_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    rt_list_init(n);
}

rt_inline int rt_list_isempty(const rt_list_t *l)
{
    return l->next == l;
}

rt_inline unsigned int rt_list_len(const rt_list_t *l)
{
    unsigned int count = 0;
    const rt_list_t *node;
    for (node = l->next; node != l; node = node->next)
        count++;
    return count;
}

#define rt_list_entry(node, type, member) rt_container_of(node, type, member)

#define rt_list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/** As rt_list_for_each, and pos may be removed in the body. */
#define rt_list_for_each_safe(pos, n, head)                                                        \
    for ((pos) = (head)->next, (n) = (pos)->next; (pos) != (head); (pos) = (n), (n) = (pos)->next)

#define rt_list_for_each_entry(pos, head, member)                                                  \
    for ((pos) = rt_list_entry((head)->next, rt_typeof(*(pos)), member); &(pos)->member != (head); \
         (pos) = rt_list_entry((pos)->member.next, rt_typeof(*(pos)), member))

#define rt_list_for_each_entry_safe(pos, n, head, member)                                          \
    for ((pos) = rt_list_entry((head)->next, rt_typeof(*(pos)), member),                           \
        (n) = rt_list_entry((pos)->member.next, rt_typeof(*(pos)), member);                        \
         &(pos)->member != (head);                                                                 \
         (pos) = (n), (n) = rt_list_entry((n)->member.next, rt_typeof(*(n)), member))

/** The first entry of a list that is not empty. */
#define rt_list_first_entry(ptr, type, member) rt_list_entry((ptr)->next, type, member)

#define RT_SLIST_OBJECT_INIT(object)                                                               \
    {                                                                                              \
        RT_NULL                                                                                    \
    }

rt_inline void rt_slist_init(rt_slist_t *l)
{
    l->next = RT_NULL;
}

/** Puts n at the tail. */
rt_inline void rt_slist_append(rt_slist_t *l, rt_slist_t *n)
{
    rt_slist_t *tail = l;
    while (tail->next != RT_NULL)
        tail = tail->next;
    tail->next = n;
    n->next = RT_NULL;
}

/** Puts n right after l: at the front when l is the head. */
rt_inline void rt_slist_insert(rt_slist_t *l, rt_slist_t *n)
{
    n->next = l->next;
    l->next = n;
}

rt_inline unsigned int rt_slist_len(const rt_slist_t *l)
{
    unsigned int count = 0;
    const rt_slist_t *node;
    for (node = l->next; node != RT_NULL; node = node->next)
        count++;
    return count;
}

/** Takes the first node off, or returns RT_NULL for an empty list. */
rt_inline rt_slist_t *rt_slist_pop(rt_slist_t *l)
{
    rt_slist_t *first = l->next;
    if (first != RT_NULL)
    {
        l->next = first->next;
        first->next = RT_NULL;
    }
    return first;
}

/** Takes n out of the list if it is there; returns the list. */
rt_inline rt_slist_t *rt_slist_remove(rt_slist_t *l, rt_slist_t *n)
{
    rt_slist_t *before = l;
    while (before->next != RT_NULL && before->next != n)
        before = before->next;
    if (before->next != RT_NULL)
    {
        before->next = n->next;
        n->next = RT_NULL;
    }
    return l;
}

rt_inline rt_slist_t *rt_slist_first(rt_slist_t *l)
{
    return l->next;
}

/** The last node, or the head itself for an empty list. */
rt_inline rt_slist_t *rt_slist_tail(rt_slist_t *l)
{
    while (l->next != RT_NULL)
        l = l->next;
    return l;
}

rt_inline rt_slist_t *rt_slist_next(rt_slist_t *n)
{
    return n->next;
}

rt_inline int rt_slist_isempty(rt_slist_t *l)
{
    return l->next == RT_NULL;
}

#define rt_slist_entry(node, type, member) rt_container_of(node, type, member)

#define rt_slist_for_each(pos, head)                                                               \
    for ((pos) = (head)->next; (pos) != RT_NULL; (pos) = (pos)->next)

#define rt_slist_for_each_entry(pos, head, member)                                                 \
    for ((pos) = (head)->next == RT_NULL                                                           \
                     ? RT_NULL                                                                     \
                     : rt_slist_entry((head)->next, rt_typeof(*(pos)), member);                    \
         (pos) != RT_NULL;                                                                         \
         (pos) = (pos)->member.next == RT_NULL                                                     \
                     ? RT_NULL                                                                     \
                     : rt_slist_entry((pos)->member.next, rt_typeof(*(pos)), member))

#define rt_slist_first_entry(ptr, type, member) rt_slist_entry((ptr)->next, type, member)
#define rt_slist_tail_entry(ptr, type, member) rt_slist_entry(rt_slist_tail(ptr), type, member)

#ifdef __cplusplus
}
#endif

#endif
