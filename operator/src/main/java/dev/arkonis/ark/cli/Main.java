package dev.arkonis.ark.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("ark");
    }
}
