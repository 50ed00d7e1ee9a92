package org.atnas.core.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.atnas.api.BackendHandle;

/**
 * Wraps a component so that every call into it runs with the thread context class loader set to
 * its plugin's class loader (DJL, for one, finds its engine through it). Objects a call returns
 * that are themselves API services (a supernet, a worker) are wrapped the same way; opaque
 * {@link BackendHandle}s are not, because the backend must get its own objects back. An argument
 * wrapped for the same plugin is unwrapped before the call (the plugin gets its own object); one
 * wrapped for another plugin stays wrapped, so that calls on it run with its own plugin's loader
 * (a worker of the backend handed to a meta-optimizer).
 */
public final class ContextClassLoaderProxy
        implements InvocationHandler
{
    private static final String API_PACKAGE = "org.atnas.api";

    private final Object target;
    private final ClassLoader loader;

    private ContextClassLoaderProxy(Object target, ClassLoader loader)
    {
        this.target = target;
        this.loader = loader;
    }

    /** {@code target} behind a proxy of the API interface {@code type} that sets the context class loader to {@code loader}. */
    public static <T> T wrap(Class<T> type, T target, ClassLoader loader)
    {
        if (target == null || Proxy.isProxyClass(target.getClass()) && Proxy.getInvocationHandler(target) instanceof ContextClassLoaderProxy) {
            return target;
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new ContextClassLoaderProxy(target, loader)));
    }

    /** The object behind a proxy made by {@link #wrap}, or the argument itself. */
    public static Object unwrap(Object object)
    {
        if (object != null && Proxy.isProxyClass(object.getClass()) && Proxy.getInvocationHandler(object) instanceof ContextClassLoaderProxy proxy) {
            return proxy.target;
        }
        return object;
    }

    private Object unwrapOwn(Object argument)
    {
        if (argument != null && Proxy.isProxyClass(argument.getClass()) && Proxy.getInvocationHandler(argument) instanceof ContextClassLoaderProxy proxy && proxy.loader == loader) {
            return proxy.target;
        }
        return argument;
    }

    // "try": the ThreadContextClassLoader resource only scopes the context class loader, it is never referenced
    @SuppressWarnings("try")
    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments)
            throws Throwable
    {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0] || target.equals(unwrap(arguments[0]));
                case "hashCode" -> target.hashCode();
                default -> method.invoke(target, arguments);
            };
        }
        if (arguments != null) {
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = unwrapOwn(arguments[i]);
            }
        }
        Object result;
        try (var ignored = new ThreadContextClassLoader(loader)) {
            result = method.invoke(target, arguments);
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
        Class<?> returnType = method.getReturnType();
        if (result != null && returnType.isInterface() && returnType.getPackageName().startsWith(API_PACKAGE) && !BackendHandle.class.isAssignableFrom(returnType)) {
            return wrap(cast(returnType), result, loader);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> cast(Class<?> type)
    {
        return (Class<T>) type;
    }
}
