/*
 * rtservice.h's lists and the kernel services, used from C as application files use them, for
 * rt_service_test.cpp.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <rtthread.h>

struct item
{
    int value;
    rt_list_t node;
    rt_slist_t snode;
};

/* Builds 1, 2, 3 with insert_before/after, removes 2 in a safe loop; returns the sum of what
 * is left read forwards times 10, plus the length. */
int list_walk(void)
{
    struct item items[3] = {{1, {0, 0}, {0}}, {2, {0, 0}, {0}}, {3, {0, 0}, {0}}};
    rt_list_t head = RT_LIST_OBJECT_INIT(head);
    struct item *pos, *next;
    int sum = 0;

    rt_list_insert_before(&head, &items[1].node); /* 2 */
    rt_list_insert_after(&head, &items[0].node);  /* 1 2 */
    rt_list_insert_before(&head, &items[2].node); /* 1 2 3 */
    if (rt_list_first_entry(&head, struct item, node)->value != 1)
        return -1;
    rt_list_for_each_entry_safe(pos, next, &head, node)
    {
        if (pos->value == 2)
            rt_list_remove(&pos->node);
    }
    rt_list_for_each_entry(pos, &head, node) sum += pos->value;
    return sum * 10 + (int)rt_list_len(&head);
}

/* The same with a single list: 1 3 2 after append/insert, pop the first; returns what is left
 * as digits, then the length. */
int slist_walk(void)
{
    struct item items[3] = {{1, {0, 0}, {0}}, {2, {0, 0}, {0}}, {3, {0, 0}, {0}}};
    rt_slist_t head = RT_SLIST_OBJECT_INIT(head);
    struct item *pos;
    int digits = 0;

    rt_slist_append(&head, &items[0].snode);
    rt_slist_append(&head, &items[1].snode);
    rt_slist_insert(&items[0].snode, &items[2].snode); /* 1 3 2 */
    if (rt_slist_tail_entry(&head, struct item, snode)->value != 2)
        return -1;
    if (rt_slist_entry(rt_slist_pop(&head), struct item, snode)->value != 1)
        return -2;
    rt_slist_for_each_entry(pos, &head, snode) digits = digits * 10 + pos->value;
    rt_slist_remove(&head, &items[1].snode);
    return digits * 10 + (int)rt_slist_len(&head);
}

int alignments(void)
{
    return RT_ALIGN(13, 4) * 100 + RT_ALIGN_DOWN(13, 4);
}

rt_weak int weak_answer(void)
{
    return 42;
}
