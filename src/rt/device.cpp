// Devices (rtthread.h's rt_device_*): registered as kernel objects of the device class, so a
// handle that was never registered (or was unregistered) is refused, not followed. The device's
// own calls run outside the kernel's lock; one recursive lock orders opens, closes and the
// opener count, as a board's scheduler lock does, and lets a driver open another device.
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include <rtthread.h>

#include <cstring>
#include <mutex>

namespace
{

namespace rt = tcp_server::detail::rt;

std::recursive_mutex device_mutex; // ref_count, open_flag and the ACTIVATED flag of every device

bool registered(rt_device_t dev)
{
    rt::KernelLock lock(rt::kernel_mutex());
    return rt::is_live_locked(dev, RT_Object_Class_Device);
}

// The device's init, once (its flag says it ran).
rt_err_t activate_locked(rt_device_t dev)
{
    if (dev->flag & RT_DEVICE_FLAG_ACTIVATED)
        return RT_EOK;
    rt_err_t result = dev->init ? dev->init(dev) : RT_EOK;
    if (result == RT_EOK)
        dev->flag |= RT_DEVICE_FLAG_ACTIVATED;
    return result;
}

// Why a read (or write) may not reach the device, or RT_EOK.
rt_err_t io_refusal(rt_device_t dev, bool reading)
{
    if (!registered(dev))
        return -RT_EINVAL;
    std::lock_guard order(device_mutex);
    bool has_call = reading ? dev->read != nullptr : dev->write != nullptr;
    return dev->ref_count == 0 ? -RT_ERROR : !has_call ? -RT_ENOSYS : RT_EOK;
}

} // namespace

namespace tcp_server::detail::rt
{

rt_err_t register_device(rt_device_t dev, const char *name, rt_uint16_t flags)
{
    if (!dev || !name)
        return -RT_EINVAL;
    std::lock_guard order(device_mutex);
    if (rt_object_find(name, RT_Object_Class_Device))
        return -RT_ERROR; // names are unique
    rt_object_init(&dev->parent, RT_Object_Class_Device, name);
    if (!registered(dev))
        return -RT_ENOMEM; // the object lists could not grow
    dev->flag = flags;
    dev->ref_count = 0;
    dev->open_flag = 0;
    return RT_EOK;
}

} // namespace tcp_server::detail::rt

extern "C"
{

rt_device_t rt_device_find(const char *name)
{
    rt::register_host_devices();
    return reinterpret_cast<rt_device_t>(rt_object_find(name, RT_Object_Class_Device));
}

rt_err_t rt_device_register(rt_device_t dev, const char *name, rt_uint16_t flags)
{
    rt::register_host_devices(); // their names are taken first, as a board's drivers' are
    return rt::register_device(dev, name, flags);
}

rt_err_t rt_device_unregister(rt_device_t dev)
{
    if (!registered(dev))
        return -RT_EINVAL;
    rt_object_detach(&dev->parent);
    return RT_EOK;
}

rt_device_t rt_device_create(int type, int attach_size)
{
    if (attach_size < 0)
        return RT_NULL;
    rt_size_t size = RT_ALIGN(sizeof(struct rt_device), RT_ALIGN_SIZE) + attach_size;
    auto *dev = static_cast<rt_device_t>(rt_malloc(size));
    if (!dev)
        return RT_NULL;
    std::memset(dev, 0, size);
    dev->type = static_cast<enum rt_device_class_type>(type);
    return dev;
}

void rt_device_destroy(rt_device_t dev)
{
    if (!dev)
        return;
    rt_device_unregister(dev); // refused when it was not registered
    rt_free(dev);
}

rt_err_t rt_device_set_rx_indicate(rt_device_t dev, rt_err_t (*rx_ind)(rt_device_t, rt_size_t))
{
    if (!registered(dev))
        return -RT_EINVAL;
    dev->rx_indicate = rx_ind;
    return RT_EOK;
}

rt_err_t rt_device_set_tx_complete(rt_device_t dev, rt_err_t (*tx_done)(rt_device_t, void *))
{
    if (!registered(dev))
        return -RT_EINVAL;
    dev->tx_complete = tx_done;
    return RT_EOK;
}

rt_err_t rt_device_init(rt_device_t dev)
{
    if (!registered(dev))
        return -RT_EINVAL;
    std::lock_guard order(device_mutex);
    return activate_locked(dev);
}

rt_err_t rt_device_open(rt_device_t dev, rt_uint16_t oflag)
{
    if (!registered(dev))
        return -RT_EINVAL;
    std::lock_guard order(device_mutex);
    if (rt_err_t result = activate_locked(dev); result != RT_EOK)
        return result;
    if ((dev->flag & RT_DEVICE_FLAG_STANDALONE) && (dev->open_flag & RT_DEVICE_OFLAG_OPEN))
        return -RT_EBUSY;
    if (dev->ref_count == 0xff)
        return -RT_EFULL;
    // Opened already: only counted, as a board does. A driver without an open call (or one
    // answering -RT_ENOSYS) opens as it is.
    if (!(dev->open_flag & RT_DEVICE_OFLAG_OPEN))
    {
        rt_err_t result = dev->open ? dev->open(dev, oflag) : -RT_ENOSYS;
        if (result != RT_EOK && result != -RT_ENOSYS)
            return result;
        dev->open_flag =
            static_cast<rt_uint16_t>((oflag & RT_DEVICE_OFLAG_MASK) | RT_DEVICE_OFLAG_OPEN);
    }
    ++dev->ref_count;
    return RT_EOK;
}

rt_err_t rt_device_close(rt_device_t dev)
{
    if (!registered(dev))
        return -RT_EINVAL;
    std::lock_guard order(device_mutex);
    if (dev->ref_count == 0)
        return -RT_ERROR;
    if (--dev->ref_count > 0)
        return RT_EOK;
    rt_err_t result = dev->close ? dev->close(dev) : RT_EOK;
    if (result == RT_EOK || result == -RT_ENOSYS)
        dev->open_flag = RT_DEVICE_OFLAG_CLOSE;
    return result;
}

rt_ssize_t rt_device_read(rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size)
{
    if (rt_err_t refusal = io_refusal(dev, true); refusal != RT_EOK)
    {
        rt_set_errno(refusal);
        return 0;
    }
    return dev->read(dev, pos, buffer, size);
}

rt_ssize_t rt_device_write(rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size)
{
    if (rt_err_t refusal = io_refusal(dev, false); refusal != RT_EOK)
    {
        rt_set_errno(refusal);
        return 0;
    }
    return dev->write(dev, pos, buffer, size);
}

rt_err_t rt_device_control(rt_device_t dev, int cmd, void *arg)
{
    if (!registered(dev))
        return -RT_EINVAL;
    return dev->control ? dev->control(dev, cmd, arg) : -RT_ENOSYS;
}

} // extern "C"
