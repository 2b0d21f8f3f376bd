<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AuthorizePage</name>
    <message numerus="yes">
        <source>%n accounts</source>
        <translation>
            <numerusform>%n account</numerusform>
            <numerusform>%n accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tax rates</source>
        <translation>
            <numerusform>%n tax rate</numerusform>
            <numerusform>%n tax rates</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message numerus="yes">
        <source>%n lines saved to {file}.</source>
        <translation>
            <numerusform>%n line saved to {file}.</numerusform>
            <numerusform>%n lines saved to {file}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScoroPage</name>
    <message numerus="yes">
        <source>Connected. %n entities found.</source>
        <translation>
            <numerusform>Connected. %n entity found.</numerusform>
            <numerusform>Connected. %n entities found.</numerusform>
        </translation>
    </message>
</context>
</TS>
