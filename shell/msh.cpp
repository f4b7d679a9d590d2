// msh: the command table, the line splitter and the executor.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include "console.h"

#include <finsh.h>
#include <msh.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>

namespace msh
{

namespace
{

// Constructed on first use: commands register from static constructors in any order.
constexpr std::string_view kCommandPrefix = "__cmd_";

// finsh's symbol table: what the export macros registered, names kept with the entries.
struct Symbol
{
    std::string name;
    std::string description;
    finsh_syscall entry;
};

struct Registry
{
    std::mutex mutex;
    std::vector<Command> commands;
    std::deque<Symbol> symbols; // a deque: lookups hand out pointers that must stay valid
    std::vector<void (*)(void)> exit_hooks;
};

Registry &registry()
{
    static Registry instance;
    return instance;
}

std::atomic<bool> leaving{false};

// The arguments of the last line this thread executed, and the argv arrays that point into
// them, kept until it executes the next.
struct HeldLine
{
    std::vector<std::vector<std::string>> arguments;
    std::vector<std::vector<char *>> argv;
};
thread_local HeldLine held_line;
thread_local int execute_depth = 0; // a command may run a line itself (msh_exec)

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int run(const std::string &text)
{
    Split parts = split(text);
    std::vector<std::string> &arguments =
        held_line.arguments.emplace_back(std::move(parts.arguments));
    if (parts.error == SplitError::unterminated_quote)
    {
        rt_kprintf("msh: unterminated quote\n");
        return -RT_EINVAL;
    }
    if (parts.error == SplitError::too_many_arguments)
    {
        rt_kprintf("msh: too many arguments (at most %zu)\n", kMaxArguments);
        return -RT_EINVAL;
    }
    if (arguments.empty())
        return 0;
    std::optional<Command> command = find(arguments[0]);
    if (!command)
    {
        rt_kprintf("%s: command not found.\n", printable(arguments[0]).c_str());
        return -RT_ERROR;
    }
    std::vector<char *> &argv = held_line.argv.emplace_back();
    for (std::string &argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    // A failing command that printed why is not reported again.
    std::size_t printed_before = console::bytes_written();
    int status = command->function(static_cast<int>(arguments.size()), argv.data());
    if (status != 0 && console::bytes_written() == printed_before)
        rt_kprintf("%s: failed (%d)\n", command->name.c_str(), status);
    return status;
}

} // namespace

std::vector<Command> commands()
{
    Registry &table = registry();
    std::lock_guard lock(table.mutex);
    std::vector<Command> sorted = table.commands;
    std::sort(sorted.begin(), sorted.end(),
              [](const Command &a, const Command &b) { return a.name < b.name; });
    return sorted;
}

std::optional<Command> find(std::string_view name)
{
    Registry &table = registry();
    std::lock_guard lock(table.mutex);
    for (const Command &command : table.commands)
        if (command.name == name)
            return command;
    return std::nullopt;
}

Split split(std::string_view line)
{
    Split result;
    std::string current;
    bool in_argument = false;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        char c = line[i];
        if (c == '\\' && i + 1 < line.size() && quote != '\'')
        {
            current += line[++i];
            in_argument = true;
        }
        else if (quote)
        {
            if (c == quote)
                quote = 0;
            else
                current += c;
        }
        else if (c == '"' || c == '\'')
        {
            quote = c;
            in_argument = true;
        }
        else if (is_blank(c))
        {
            if (in_argument)
            {
                if (result.arguments.size() == kMaxArguments)
                    return {{}, SplitError::too_many_arguments};
                result.arguments.push_back(std::move(current));
                current.clear();
                in_argument = false;
            }
        }
        else
        {
            current += c;
            in_argument = true;
        }
    }
    if (quote)
        return {{}, SplitError::unterminated_quote};
    if (in_argument)
    {
        if (result.arguments.size() == kMaxArguments)
            return {{}, SplitError::too_many_arguments};
        result.arguments.push_back(std::move(current));
    }
    return result;
}

std::vector<std::string> split_commands(std::string_view line)
{
    std::vector<std::string> parts;
    std::string current;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        char c = line[i];
        if (c == '\\' && i + 1 < line.size() && quote != '\'')
        {
            current += c;
            current += line[++i];
            continue;
        }
        if (quote && c == quote)
            quote = 0;
        else if (!quote && (c == '"' || c == '\''))
            quote = c;
        else if (!quote && c == ';')
        {
            parts.push_back(std::move(current));
            current.clear();
            continue;
        }
        current += c;
    }
    parts.push_back(std::move(current));
    return parts;
}

std::string printable(std::string_view text)
{
    std::string shown;
    for (unsigned char c : text)
    {
        if (c >= 0x20 && c < 0x7f)
        {
            shown += static_cast<char>(c);
            continue;
        }
        char escaped[5];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
        shown += escaped;
    }
    return shown;
}

int execute(std::string_view line)
{
    if (line.size() > kMaxLineLength)
    {
        rt_kprintf("msh: line too long (%zu characters, at most %zu)\n", line.size(),
                   kMaxLineLength);
        return -RT_EINVAL;
    }
    if (execute_depth == 0)
        held_line = {}; // the previous line's arguments may go now
    ++execute_depth;
    int failure = 0;
    for (const std::string &command : split_commands(line))
    {
        int status = run(command);
        if (status != 0)
            failure = status;
        if (exit_requested())
            break;
    }
    --execute_depth;
    return failure;
}

void request_exit()
{
    leaving = true;
}

bool exit_requested()
{
    return leaving.load();
}

void run_exit_hooks()
{
    std::vector<void (*)(void)> hooks;
    {
        Registry &table = registry();
        std::lock_guard lock(table.mutex);
        hooks.swap(table.exit_hooks);
    }
    for (auto hook = hooks.rbegin(); hook != hooks.rend(); ++hook)
        (*hook)();
}

} // namespace msh

extern "C"
{

void msh_register_command(const char *name, const char *description, msh_cmd_t function)
{
    msh::Registry &table = msh::registry();
    std::lock_guard lock(table.mutex);
    // A later registration of the same name replaces the earlier one, as the last linked
    // definition would on a board.
    std::erase_if(table.commands,
                  [name](const msh::Command &command) { return command.name == name; });
    table.commands.push_back({name, description ? description : "", function});
}

void finsh_syscall_register(const char *name, const char *desc, syscall_func func)
{
    if (!name || !func)
        return;
    std::string_view text = name;
    {
        msh::Registry &table = msh::registry();
        std::lock_guard lock(table.mutex);
        auto found = std::find_if(table.symbols.begin(), table.symbols.end(),
                                  [&](const msh::Symbol &symbol) { return symbol.name == text; });
        msh::Symbol &symbol = found != table.symbols.end() ? *found : table.symbols.emplace_back();
        symbol.name = name;
        symbol.description = desc ? desc : "";
        symbol.entry = {symbol.name.c_str(), symbol.description.c_str(), func};
    }
    // As in RT-Thread's msh, a symbol named __cmd_NAME is the command NAME.
    if (text.substr(0, msh::kCommandPrefix.size()) == msh::kCommandPrefix &&
        text.size() > msh::kCommandPrefix.size())
        msh_register_command(name + msh::kCommandPrefix.size(), desc,
                             reinterpret_cast<msh_cmd_t>(reinterpret_cast<void (*)(void)>(func)));
}

struct finsh_syscall *finsh_syscall_lookup(const char *name)
{
    if (!name)
        return RT_NULL;
    msh::Registry &table = msh::registry();
    std::lock_guard lock(table.mutex);
    for (msh::Symbol &symbol : table.symbols)
        if (symbol.name == name)
            return &symbol.entry;
    return RT_NULL;
}

int msh_exec(char *cmd, rt_size_t length)
{
    if (!cmd)
        return -RT_EINVAL;
    return msh::execute(std::string_view(cmd, strnlen(cmd, length)));
}

rt_bool_t msh_is_used(void)
{
    return RT_TRUE;
}

void msh_at_exit(void (*function)(void))
{
    msh::Registry &table = msh::registry();
    std::lock_guard lock(table.mutex);
    if (std::find(table.exit_hooks.begin(), table.exit_hooks.end(), function) ==
        table.exit_hooks.end())
        table.exit_hooks.push_back(function);
}

} // extern "C"
