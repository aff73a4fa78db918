# bash completion for riskreg                                       -*- shell-script -*-
#
# Installed as share/bash-completion/completions/riskreg. The words come from the program itself
# (`riskreg __complete WHAT`, see src/complete.c): its commands and their options from the command
# table `riskreg help` prints, kinds and fields from the model, record IDs from the register that
# -C DIR, $RISKREG_DIR or the current folder names. Works with or without the bash-completion
# package.

# _riskreg_words: bash splits "title=x" and "--kind=x" at '=' (COMP_WORDBREAKS); join such
# words again by what COMP_LINE says about the spaces between them. Sets words and cword.
_riskreg_words()
{
    local line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}} rest w j spaced
    words=()
    cword=0
    for ((j = 0; j <= COMP_CWORD; j++)); do
        w=${COMP_WORDS[j]}
        rest=${line#"${line%%[![:space:]]*}"}
        spaced=$((${#rest} != ${#line}))
        line=${rest#"$w"}
        if ((j > 0 && !spaced)) && [[ $w == "=" || ${words[-1]} == *= ]]; then
            words[-1]+=$w
        else
            words+=("$w")
        fi
        ((j == COMP_CWORD)) && cword=$((${#words[@]} - 1))
    done
}

# _riskreg_ask WHAT ARG...: `riskreg __complete`, run as the line being completed runs it (the
# same program, the same -C DIR; the caller's ask array): one word a line, nothing and no error
# when there is nothing to offer
_riskreg_ask() { "${ask[@]}" __complete "$@" 2>/dev/null; }

_riskreg()
{
    local words cword
    _riskreg_words
    local cur=${words[cword]} prev=${words[cword - 1]}
    local -a ask=("${words[0]/#\~/$HOME}")
    local i cmd= at=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -C | --actor)
            [[ ${words[i]} == -C ]] && ask+=(-C "${words[i + 1]/#\~/$HOME}")
            ((i++))
            ;;
        -C?*) ask+=("${words[i]}") ;;
        -*) ;;
        *)
            cmd=${words[i]}
            at=$i
            break
            ;;
        esac
    done

    COMPREPLY=()
    if [[ -z $cmd ]]; then
        case $prev in
        -C) COMPREPLY=($(compgen -d -- "$cur")) ;;
        --actor) ;;
        *)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$(_riskreg_ask options | cut -d' ' -f1)" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$(_riskreg_ask commands)" -- "$cur"))
            fi
            ;;
        esac
        return 0
    fi

    # the command's options: "--kind KIND" takes a value, "--dry-run" none
    local -a takes_value=(-C --actor)
    local name value
    while read -r name value; do
        [[ -n $value ]] && takes_value+=("$name")
    done < <(_riskreg_ask options "$cmd")

    # an option's value: after "--kind " or in "--kind=" (bash completes the part after '=')
    local opt= typed=$cur
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        typed=${cur#*=}
    elif ((cword > at + 1)) && [[ " ${takes_value[*]} " == *" $prev "* ]]; then
        opt=$prev
    fi
    if [[ -n $opt ]]; then
        case $opt in
        --kind) COMPREPLY=($(compgen -W "$(_riskreg_ask kinds)" -- "$typed")) ;;
        --out | -C) COMPREPLY=($(compgen -f -- "$typed")) && compopt -o filenames 2>/dev/null ;;
        *) COMPREPLY=($(compgen -W "$(_riskreg_ask values "$cmd" "$opt")" -- "$typed")) ;;
        esac
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_riskreg_ask options "$cmd" | cut -d' ' -f1)" -- "$cur"))
        return 0
    fi

    # the arguments before this one, without options and their values
    local -a args=()
    for ((i = at + 1; i < cword; i++)); do
        case ${words[i]} in
        --*=*) ;;
        -?*) [[ " ${takes_value[*]} " == *" ${words[i]} "* ]] && ((i++)) ;;
        *) args+=("${words[i]}") ;;
        esac
    done
    local n=${#args[@]} list= what
    [[ $cur == *=* ]] && return 0 # a field's value: anything goes
    case $cmd in
    help)
        if ((n == 0)); then
            list="$(_riskreg_ask commands) fields words lua templates"
        elif ((n == 1)) && [[ ${args[0]} == fields ]]; then
            list=$(_riskreg_ask kinds)
        elif ((n == 1)) && [[ ${args[0]} == templates ]]; then
            list="pages records"
        fi
        ;;
    add | list)
        if ((n == 0)); then
            list=$(_riskreg_ask kinds)
        else
            [[ $cmd == add ]] && what=fields || what=filters
            COMPREPLY=($(compgen -S = -W "$(_riskreg_ask $what "${args[0]}")" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return 0
        fi
        ;;
    set)
        if ((n == 0)); then
            list=$(_riskreg_ask ids)
        else
            COMPREPLY=($(compgen -S = -W "$(_riskreg_ask settable "${args[0]}")" -- "$cur"))
            compopt -o nospace 2>/dev/null
            return 0
        fi
        ;;
    assess) ((n == 0)) && list=$(_riskreg_ask ids risks requirements) ;;
    close) ((n == 0)) && list=$(_riskreg_ask ids risks improvements nonconformities review_actions) ;;
    show | edit | log) ((n == 0)) && list=$(_riskreg_ask ids) ;;
    init)
        ((n == 0)) && COMPREPLY=($(compgen -d -- "$cur"))
        return 0
        ;;
    import)
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
        return 0
        ;;
    esac
    COMPREPLY=($(compgen -W "$list" -- "$cur"))
    return 0
}

complete -F _riskreg riskreg
