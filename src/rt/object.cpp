// The kernel object container: one list per class, as RT-Thread keeps them for ps and list_x,
// and the set of live objects, so that a stale or foreign handle is refused, not followed.
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include <array>
#include <cstring>
#include <new>
#include <unordered_set>

namespace tcp_server::detail::rt
{

namespace
{

constexpr int kClassCount = RT_Object_Class_Unknown + 1;

struct Container
{
    std::array<rt_object_information, kClassCount> classes;
    std::unordered_set<const void *> live;

    Container()
    {
        for (int type = 0; type < kClassCount; ++type)
        {
            classes[type].type = static_cast<rt_object_class_type>(type);
            rt_list_init(&classes[type].object_list);
            classes[type].object_size = 0;
        }
    }
};

// Never destroyed: threads may still use the kernel while the program exits.
Container &container()
{
    static Container *instance = new Container;
    return *instance;
}

rt_object_class_type class_of(const rt_object *object)
{
    return static_cast<rt_object_class_type>(object->type & ~RT_Object_Class_Static);
}

bool valid_class(int type)
{
    return type > RT_Object_Class_Null && type < kClassCount;
}

std::size_t size_of_class(rt_object_class_type type)
{
    switch (type)
    {
    case RT_Object_Class_Thread:
        return sizeof(rt_thread);
    case RT_Object_Class_Semaphore:
        return sizeof(rt_semaphore);
    case RT_Object_Class_Mutex:
        return sizeof(rt_mutex);
    case RT_Object_Class_Event:
        return sizeof(rt_event);
    case RT_Object_Class_MailBox:
        return sizeof(rt_mailbox);
    case RT_Object_Class_MessageQueue:
        return sizeof(rt_messagequeue);
    case RT_Object_Class_MemPool:
        return sizeof(rt_mempool);
    case RT_Object_Class_Timer:
        return sizeof(rt_timer);
    default:
        return sizeof(rt_object);
    }
}

} // namespace

void copy_name(char (&out)[RT_NAME_MAX], const char *name)
{
    std::size_t length = name ? strnlen(name, RT_NAME_MAX - 1) : 0;
    std::memcpy(out, name ? name : "", length);
    std::memset(out + length, 0, RT_NAME_MAX - length);
}

bool attach_object_locked(rt_object_t object, rt_object_class_type type, const char *name,
                          bool is_static)
{
    Container &all = container();
    // An object initialised again without a detach first: take it out before it goes back in.
    if (all.live.erase(object) != 0)
        rt_list_remove(&object->list);
    try
    {
        all.live.insert(object);
    }
    catch (const std::bad_alloc &)
    {
        return false;
    }
    copy_name(object->name, name);
    object->type = static_cast<rt_uint8_t>(type | (is_static ? RT_Object_Class_Static : 0));
    object->flag = 0;
    rt_list_insert_before(&all.classes[type].object_list, &object->list);
    return true;
}

void detach_object_locked(rt_object_t object)
{
    if (container().live.erase(object) == 0)
        return;
    rt_list_remove(&object->list);
    object->type = RT_Object_Class_Null;
}

bool is_live_locked(const void *object, rt_object_class_type type)
{
    return object && container().live.count(object) != 0 &&
           class_of(static_cast<const rt_object *>(object)) == type;
}

bool is_static(const rt_object_t object)
{
    return (object->type & RT_Object_Class_Static) != 0;
}

} // namespace tcp_server::detail::rt

using namespace tcp_server::detail;

extern "C"
{

struct rt_object_information *rt_object_get_information(enum rt_object_class_type type)
{
    return rt::valid_class(type) ? &rt::container().classes[type] : RT_NULL;
}

int rt_object_get_length(enum rt_object_class_type type)
{
    if (!rt::valid_class(type))
        return 0;
    rt::KernelLock lock(rt::kernel_mutex());
    return static_cast<int>(rt_list_len(&rt::container().classes[type].object_list));
}

int rt_object_get_pointers(enum rt_object_class_type type, rt_object_t *pointers, int maxlen)
{
    if (!rt::valid_class(type) || !pointers || maxlen <= 0)
        return 0;
    rt::KernelLock lock(rt::kernel_mutex());
    int count = 0;
    rt_list_t *head = &rt::container().classes[type].object_list;
    for (rt_list_t *node = head->next; node != head && count < maxlen; node = node->next)
        pointers[count++] = rt_list_entry(node, struct rt_object, list);
    return count;
}

void rt_object_init(struct rt_object *object, enum rt_object_class_type type, const char *name)
{
    if (!object || !rt::valid_class(type))
        return;
    rt::KernelLock lock(rt::kernel_mutex());
    rt::attach_object_locked(object, type, name, true);
}

void rt_object_detach(rt_object_t object)
{
    if (!object)
        return;
    rt::KernelLock lock(rt::kernel_mutex());
    rt::detach_object_locked(object);
}

rt_object_t rt_object_allocate(enum rt_object_class_type type, const char *name)
{
    if (!rt::valid_class(type))
        return RT_NULL;
    auto *object = static_cast<rt_object_t>(rt_calloc(1, rt::size_of_class(type)));
    if (!object)
        return RT_NULL;
    rt::KernelLock lock(rt::kernel_mutex());
    if (!rt::attach_object_locked(object, type, name, false))
    {
        lock.unlock();
        rt_free(object);
        return RT_NULL;
    }
    return object;
}

void rt_object_delete(rt_object_t object)
{
    if (!object)
        return;
    {
        rt::KernelLock lock(rt::kernel_mutex());
        if (rt::container().live.count(object) == 0 || rt::is_static(object))
            return;
        rt::detach_object_locked(object);
    }
    rt_free(object);
}

rt_bool_t rt_object_is_systemobject(rt_object_t object)
{
    return object && rt::is_static(object) ? RT_TRUE : RT_FALSE;
}

rt_uint8_t rt_object_get_type(rt_object_t object)
{
    return object ? static_cast<rt_uint8_t>(object->type & ~RT_Object_Class_Static) : 0;
}

rt_object_t rt_object_find(const char *name, rt_uint8_t type)
{
    if (!name || !rt::valid_class(type))
        return RT_NULL;
    rt::KernelLock lock(rt::kernel_mutex());
    rt_list_t *head = &rt::container().classes[type].object_list;
    for (rt_list_t *node = head->next; node != head; node = node->next)
    {
        rt_object_t object = rt_list_entry(node, struct rt_object, list);
        if (std::strncmp(object->name, name, RT_NAME_MAX) == 0)
            return object;
    }
    return RT_NULL;
}

rt_err_t rt_object_get_name(rt_object_t object, char *name, rt_uint8_t name_size)
{
    if (!object || !name || name_size == 0)
        return -RT_EINVAL;
    std::size_t length = strnlen(object->name, RT_NAME_MAX);
    if (length >= name_size)
        length = name_size - 1u;
    std::memcpy(name, object->name, length);
    name[length] = '\0';
    return RT_EOK;
}

} // extern "C"
